import type { FastifyInstance } from 'fastify'
import type { CreateApiTokenBody, CreatedApiToken } from '@cloudlink/shared'
import type { Team } from './fixtures.js'

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
    payload: { name: 'CI', scopes: ['accounts:read', 'accounts:manage', 'accounts:use'], ...body },
  })
  if (res.statusCode !== 201)
    throw new Error(`minting a token failed: ${res.statusCode} ${res.body}`)
  const created = res.json() as CreatedApiToken
  return { created, token: created.token, headers: { authorization: `Bearer ${created.token}` } }
}
