import { type CaseSpec, bearer, j } from './types.js'
import { AZURE_SIM_SUBSCRIPTION } from '../../../src/simulators/providers/azure.js'
import { GCP_SIM_PROJECT } from '../../../src/simulators/providers/gcp.js'

// OAuth-only providers, called with the access token a grant holds.

export const azure: CaseSpec = {
  format: { token: /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/ },
  verifyPath: '/subscriptions?api-version=2022-12-01',
  listPath: `/subscriptions/${AZURE_SIM_SUBSCRIPTION}/providers/Microsoft.Compute/virtualMachines?api-version=2024-07-01`,
  serverIds: (b) =>
    (j(b).value as { properties: { vmId: string } }[]).map((v) => v.properties.vmId),
  authHeaders: (c) => bearer(c.token),
  logged: (c) => c.token as string,
  unauthorized: {
    status: 401,
    body: {
      error: { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' },
    },
  },
  rateLimited: {
    status: 429,
    body: { error: { code: 'TooManyRequests', message: 'The request is being throttled.' } },
    headers: ['retry-after', 'x-ms-ratelimit-remaining-subscription-reads'],
  },
}

export const gcp: CaseSpec = {
  format: { token: /^ya29\.[A-Za-z0-9_-]{10,}$/ },
  verifyPath: '/v1/projects?pageSize=1',
  listPath: `/compute/v1/projects/${GCP_SIM_PROJECT.projectId}/aggregated/instances`,
  serverIds: (b) =>
    Object.values(j(b).items as Record<string, { instances?: { id: string }[] }>).flatMap((zone) =>
      (zone.instances ?? []).map((i) => i.id),
    ),
  authHeaders: (c) => bearer(c.token),
  logged: (c) => c.token as string,
  unauthorized: {
    status: 401,
    body: {
      error: {
        code: 401,
        message:
          'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
        status: 'UNAUTHENTICATED',
      },
    },
  },
  rateLimited: {
    status: 429,
    body: {
      error: {
        code: 429,
        message: "Quota exceeded for quota metric 'Read requests'.",
        status: 'RESOURCE_EXHAUSTED',
      },
    },
    headers: ['retry-after'],
  },
}
