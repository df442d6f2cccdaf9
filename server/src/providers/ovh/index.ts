import { unreachable, UnreachableError } from '../core/http.js'
import { maskTail } from '../core/hint.js'
import { rejected } from '../core/outcome.js'
import type { ProviderModule } from '../core/types.js'
import { defineProvider } from '../core/define.js'
import { checkFields, fieldError } from '../core/validate.js'
import {
  createOvhClient,
  ovhFailure,
  errorCodeOf,
  SUBSIDIARIES,
  type OvhCreds,
  type SubsidiaryCode,
} from './client.js'
import { listOvhServers } from './servers.js'
import { ovhBroker } from './broker.js'
import { probeOvh } from './probe.js'

interface Credential {
  status?: string
  expiration?: string | null
  allowedIPs?: string[] | null
}
interface Me {
  nichandle?: string
  email?: string
  firstname?: string
  name?: string
  organisation?: string
}

const CREDENTIAL_STATES: Record<string, string> = {
  pendingValidation:
    'has not been validated yet: open the validation URL you got when creating it and log in',
  refused: 'was refused when it was validated; create a new one',
  expired: 'has expired; create a new one (choose Unlimited validity to avoid this)',
}

const KEY = '^[A-Za-z0-9]{8,64}$'

/** One module per subsidiary: the same API on another host, with keys that work on one host only. */
export function ovhProvider(sub: SubsidiaryCode): ProviderModule<OvhCreds> {
  const { id, name, host } = SUBSIDIARIES[sub]
  const fields = [
    {
      name: 'applicationKey',
      label: 'Application key',
      secret: false,
      required: true,
      pattern: KEY,
      placeholder: '16 letters and digits',
      help: `Created with the application at https://${host}/createToken/`,
    },
    {
      name: 'applicationSecret',
      label: 'Application secret',
      secret: true,
      required: true,
      pattern: '^[A-Za-z0-9]{8,64}(:[A-Za-z0-9]{8,64})?$',
      placeholder: '32 letters and digits',
      help: 'Shown once, next to the application key; the older secret:consumerKey form is accepted',
    },
    {
      name: 'consumerKey',
      label: 'Consumer key',
      secret: true,
      required: false,
      pattern: KEY,
      placeholder: '32 letters and digits',
      help: 'The token createToken issues with the access rules listed here',
    },
  ]

  return defineProvider<OvhCreds>({
    descriptor: {
      id,
      name,
      authType: 'signed',
      fields,
      consoleUrl: `https://${host}/createToken/`,
      permissions: [
        'GET /me',
        'GET /auth/*',
        'GET /dedicated/server',
        'GET /dedicated/server/*',
        'POST /dedicated/server/*',
        'PUT /dedicated/server/*',
        'DELETE /dedicated/server/*',
        'GET /vps',
        'GET /vps/*',
        'GET /cloud/project',
        'GET /cloud/project/*',
      ],
      capabilities: ['compute'],
      notes: `Keys created on ${host} work only with ${name}. Give the consumer key Unlimited validity, or reconnect before it expires.`,
    },
    origins: { api: `https://${host}` },
    broker: ovhBroker(sub),
    validate(credentials) {
      const c = checkFields(fields, credentials)
      let secret = c.applicationSecret as string
      let consumerKey = c.consumerKey ?? ''
      // Older Cloudlink forms stored both in one field as `secret:consumerKey`.
      const colon = secret.indexOf(':')
      if (colon >= 0) {
        const legacy = secret.slice(colon + 1)
        if (consumerKey && consumerKey !== legacy)
          throw fieldError(
            'consumerKey',
            'differs from the consumer key after the colon in the application secret; give it once',
          )
        consumerKey = legacy
        secret = secret.slice(0, colon)
      }
      if (!consumerKey)
        throw fieldError(
          'consumerKey',
          'Consumer key is required (or give the application secret as secret:consumerKey)',
        )
      return {
        applicationKey: c.applicationKey as string,
        applicationSecret: secret,
        consumerKey,
      }
    },
    verify: async (ctx, c) => {
      const api = createOvhClient(ctx, sub, c)
      const cred = await api.get<Credential>('/1.0/auth/currentCredential')
      if (!cred.ok) throw ovhFailure(sub, cred.res, 'GET /auth/currentCredential')
      const { status, expiration, allowedIPs } = cred.body
      const problem = status ? CREDENTIAL_STATES[status] : undefined
      if (problem) throw rejected(`The consumer key ${problem}`, cred.res, status)
      if (status !== 'validated')
        throw new UnreachableError(
          unreachable('server_error', `${name} reported an unknown credential state`),
        )
      const warnings: string[] = []
      if (expiration) {
        if (Date.parse(expiration) <= Date.now())
          throw rejected(`The consumer key ${CREDENTIAL_STATES.expired}`, cred.res, 'expired')
        warnings.push(`The consumer key expires on ${expiration}; reconnect with a new one before`)
      }
      if (allowedIPs?.length)
        warnings.push(
          `The consumer key only works from ${allowedIPs.join(', ')}; this server must be among them`,
        )

      // /me only names the account: without its rule the keys still work, so warn, don't refuse.
      const me = await api.get<Me>('/1.0/me')
      if (!me.ok && errorCodeOf(me.res) !== 'NOT_GRANTED_CALL')
        throw ovhFailure(sub, me.res, 'GET /me')
      if (!me.ok)
        warnings.push('The consumer key may not read GET /me, so Cloudlink cannot name the account')

      const servers = await api.get<string[]>('/1.0/dedicated/server')
      if (!servers.ok) throw ovhFailure(sub, servers.res, 'GET /dedicated/server')

      const body = me.ok ? me.body : {}
      const fullName = [body.firstname, body.name].filter(Boolean).join(' ')
      const display = body.organisation || fullName
      return {
        outcome: 'verified' as const,
        identity: me.ok
          ? {
              ...(body.nichandle ? { id: body.nichandle } : {}),
              ...(display ? { name: display } : {}),
              ...(body.email ? { email: body.email } : {}),
            }
          : null,
        warnings,
      }
    },
    listServers: (ctx, c) => listOvhServers(ctx, sub, c),
    probe: (ctx, c, capabilities) => probeOvh(ctx, sub, c, capabilities),
    hint: (c) => maskTail(c.applicationKey),
    // The consumer key is the credential; the same one in either form is the same connection.
    canonical: (c) => `${c.applicationKey}:${c.consumerKey}`,
  })
}
