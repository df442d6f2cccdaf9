import type { FastifyInstance } from 'fastify'
import type { CreateApiTokenBody, CreatedApiToken } from '@cloudlink/shared'
import type { Team } from './fixtures.js'
import { nextIp } from './http.js'

export interface MintedToken {
  created: CreatedApiToken
  token: string
  /** `Authorization: Bearer clk_…`; `X-Cloudlink-Token` works the same. */
  headers: { authorization: string }
}

/** Creates an API token through the API as the team's owner (every scope unless told). */
export async function mintToken(
  app: FastifyInstance,
  team: Pick<Team, 'workspaceId' | 'owner'>,
  body: Partial<CreateApiTokenBody> = {},
): Promise<MintedToken> {
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/workspaces/${team.workspaceId}/api-tokens`,
    headers: team.owner.headers,
    // Minting is rate limited per address; fixtures must not eat the budget of the test itself.
    remoteAddress: nextIp(),
    payload: { name: 'CI', scopes: ['accounts:read', 'accounts:manage', 'accounts:use'], ...body },
  })
  if (res.statusCode !== 201)
    throw new Error(`minting a token failed: ${res.statusCode} ${res.body}`)
  const created = res.json() as CreatedApiToken
  return { created, token: created.token, headers: { authorization: `Bearer ${created.token}` } }
}

/**
 * A second account in the team's workspace, connected with another provider's demo credential
 * than `connectDemoAccount` uses (the same credential twice would be a duplicate).
 */
export async function connectSecondAccount(app: FastifyInstance, team: Team): Promise<string> {
  const demo = app.sandbox.demoCredentials.filter((d) => d.kind === 'good')[1]
  if (!demo)
    throw new Error('no second demo credential: build the app with config { SANDBOX: "1" }')
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/workspaces/${team.workspaceId}/cloud-accounts`,
    headers: team.owner.headers,
    remoteAddress: nextIp(),
    payload: { provider: demo.provider, label: 'Second account', credentials: demo.credentials },
  })
  if (res.statusCode !== 201) throw new Error(`connecting failed: ${res.statusCode} ${res.body}`)
  return (res.json() as { id: string }).id
}
