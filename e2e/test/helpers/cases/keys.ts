import { type CaseSpec, j, invalidCredential } from './types.js'
import { awsParse, awsSend, ovhSend, transipSend } from '../signed.js'

// Providers called with a key pair: a secret header, or a request signed per call.

export const scaleway: CaseSpec = {
  format: {
    accessKey: /^SCW[A-Z0-9]{17}$/,
    secretKey: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  },
  // The app's verify call, GET /iam/v1alpha1/api-keys/{accessKey}, depends on the credential
  // (scaleway.test.ts); this is the fallback verify call trufflehog uses.
  verifyPath: '/instance/v1/zones/fr-par-1/servers?per_page=1',
  listPath: '/instance/v1/zones/fr-par-1/servers',
  serverIds: (b) => (j(b).servers as { id: string }[]).map((s) => s.id),
  authHeaders: (c) => ({ 'x-auth-token': c.secretKey as string }),
  logged: (c) => c.secretKey as string,
  unauthorized: {
    status: 401,
    body: {
      message: 'authentication is denied',
      method: 'api_key',
      reason: 'not_found',
      type: 'denied_authentication',
    },
  },
  rateLimited: {
    status: 429,
    body: { message: 'rate limit exceeded', type: 'too_many_requests' },
    headers: [],
  },
}

export const transip: CaseSpec = {
  format: {
    login: /^[a-z0-9][a-z0-9-]+$/,
    privateKey: /^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/,
  },
  verifyPath: '/v6/api-test',
  listPath: '/v6/vps',
  serverIds: (b) => (j(b).vpss as { name: string }[]).map((v) => v.name),
  send: transipSend,
  credentialHeaders: ['authorization'],
  logged: (c) => c.login as string,
  unauthorized: { status: 401, body: { error: 'Authentication failed' } },
  unauthorizedMissing: {
    status: 401,
    body: { error: 'Your access token is invalid or missing' },
  },
  rateLimited: {
    status: 429,
    body: { error: 'Rate limit exceeded' },
    headers: ['x-rate-limit-limit', 'x-rate-limit-remaining', 'x-rate-limit-reset'],
  },
}

export const aws: CaseSpec = {
  format: { accessKeyId: /^AKIA[A-Z2-7]{16}$/, secretAccessKey: /^[A-Za-z0-9+/]{40}$/ },
  verifyPath: '/?Action=GetCallerIdentity&Version=2011-06-15',
  listPath: '/?Action=DescribeInstances&Version=2016-11-15',
  serverIds: (b) => (b as { instanceIds: string[] }).instanceIds,
  send: awsSend,
  parse: awsParse,
  credentialHeaders: ['authorization', 'x-amz-date'],
  logged: (c) => c.accessKeyId as string,
  unauthorized: {
    status: 403,
    body: {
      code: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
    },
  },
  unauthorizedMissing: {
    status: 403,
    body: {
      code: 'MissingAuthenticationToken',
      message: 'Request is missing Authentication Token',
    },
  },
  unauthorizedRevoked: {
    verify: {
      status: 403,
      body: {
        code: 'InvalidClientTokenId',
        message: 'The security token included in the request is invalid.',
      },
    },
    list: {
      status: 401,
      body: {
        code: 'AuthFailure',
        message: 'AWS was not able to validate the provided access credentials',
      },
    },
  },
  rateLimited: {
    status: 400,
    body: { code: 'Throttling', message: 'Rate exceeded' },
    headers: [],
  },
}

/** OVHcloud EU and CA: one API, two origins. */
export const ovh: CaseSpec = {
  format: {
    applicationKey: /^[A-Za-z0-9]{16}$/,
    applicationSecret: /^[A-Za-z0-9]{32}$/,
    consumerKey: /^[A-Za-z0-9]{32}$/,
  },
  verifyPath: '/1.0/auth/currentCredential',
  listPath: '/1.0/dedicated/server',
  serverIds: (b) => b as string[],
  send: ovhSend,
  credentialHeaders: ['x-ovh-application', 'x-ovh-consumer', 'x-ovh-timestamp', 'x-ovh-signature'],
  logged: (c) => c.applicationKey as string,
  unauthorized: {
    status: 403,
    body: {
      errorCode: 'INVALID_KEY',
      httpCode: '403 Forbidden',
      message: 'This application key is invalid',
    },
  },
  unauthorizedMissing: {
    status: 401,
    body: {
      errorCode: 'NOT_AUTHENTICATED',
      httpCode: '401 Unauthorized',
      message: 'You must login first',
    },
  },
  unauthorizedRevoked: {
    verify: { status: 403, body: invalidCredential },
    list: { status: 403, body: invalidCredential },
  },
  rateLimited: {
    status: 429,
    body: {
      errorCode: 'TOO_MANY_REQUESTS',
      httpCode: '429 Too Many Requests',
      message: 'Too many requests',
    },
    headers: ['retry-after'],
  },
}
