import { randomRng, type Rng } from '../generate.js'
import { BadInput, json, parseJson } from '../http.js'
import type { Account, SimRequest, SimResponse } from '../spec.js'
import type { Identity, Scopes, SimServer } from '../types.js'
import { OAUTH_CONTROL_PREFIX, type ServerState } from './oauth-types.js'

function asObject(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new BadInput('body must be a JSON object')
  return value as Record<string, unknown>
}

function serversOf(value: unknown): SimServer[] {
  if (!Array.isArray(value)) throw new BadInput('servers must be an array')
  return value.map((s: Partial<SimServer>) => {
    if (!s || typeof s.providerServerId !== 'string' || typeof s.name !== 'string')
      throw new BadInput('each server needs providerServerId and name strings')
    return {
      providerServerId: s.providerServerId,
      name: s.name,
      status: String(s.status),
      region: String(s.region),
      ipv4: s.ipv4 ?? null,
    }
  })
}

/**
 * The authorization server's control API under `/__sim-oauth/`: register a client, switch the
 * signed-in user, deny or narrow consent, revoke consent, change settings.
 */
export function createControl(
  stateOf: (req: SimRequest) => ServerState,
  newUser: (
    rng: Rng,
    opts?: { identity?: Identity; servers?: SimServer[]; scopes?: Scopes },
  ) => Account,
) {
  return function control(req: SimRequest): SimResponse {
    const st = stateOf(req)
    const action = `${req.method} ${req.url.pathname.slice(OAUTH_CONTROL_PREFIX.length).replace(/\/$/, '')}`
    const body = () => asObject(parseJson(req.body))
    switch (action) {
      case 'GET ':
        return json(200, {
          clients: [...st.clients.keys()],
          user: st.user.identity,
          grants: [...st.grants.values()].map((g) => ({
            subject: g.account.identity.id,
            clientId: g.clientId,
            scope: g.scope,
            revoked: g.revoked,
          })),
          settings: st.settings,
        })
      case 'POST clients': {
        const b = body()
        if (typeof b.clientId !== 'string' || !b.clientId || typeof b.clientSecret !== 'string')
          throw new BadInput('clientId and clientSecret strings are required')
        st.clients.set(b.clientId, b.clientSecret)
        return json(201, { clientId: b.clientId })
      }
      case 'PUT user': {
        const b = body()
        const identity = b.identity === undefined ? undefined : (asObject(b.identity) as Identity)
        if (b.scopes !== undefined && b.scopes !== 'full' && b.scopes !== 'insufficient')
          throw new BadInput("scopes must be 'full' or 'insufficient'")
        st.user = newUser(randomRng(), {
          ...(identity ? { identity } : {}),
          ...(b.servers === undefined ? {} : { servers: serversOf(b.servers) }),
          ...(b.scopes ? { scopes: b.scopes as Scopes } : {}),
        })
        return json(200, { identity: st.user.identity })
      }
      case 'PUT consent': {
        const b = body()
        if (b.times !== undefined && (typeof b.times !== 'number' || b.times < 1))
          throw new BadInput('times must be a positive number')
        if (b.deny !== undefined && b.deny !== null && typeof b.deny !== 'string')
          throw new BadInput('deny must be an OAuth error code or null')
        st.consent = {
          deny:
            typeof b.deny === 'string'
              ? {
                  error: b.deny,
                  description:
                    typeof b.description === 'string' ? b.description : 'The user denied access',
                }
              : null,
          grantedScope: typeof b.grantedScope === 'string' ? b.grantedScope : null,
          tamperChallenge: b.tamperChallenge === true,
          times: typeof b.times === 'number' ? b.times : null,
        }
        return json(204)
      }
      case 'POST revoke-consent': {
        const subject = body().subject
        let revoked = 0
        for (const grant of st.grants.values())
          if (!grant.revoked && (subject === undefined || grant.account.identity.id === subject)) {
            grant.revoked = true
            revoked++
          }
        return json(200, { revoked })
      }
      case 'PUT settings': {
        const b = body()
        if (b.accessTokenTtl !== undefined) {
          if (typeof b.accessTokenTtl !== 'number' || b.accessTokenTtl < 1)
            throw new BadInput('accessTokenTtl must be a positive number of seconds')
          st.accessTokenTtl = b.accessTokenTtl
        }
        for (const [k, v] of Object.entries(b)) if (k !== 'accessTokenTtl') st.settings[k] = v
        return json(204)
      }
      default:
        return json(404, { error: `no control endpoint ${action}` })
    }
  }
}
