import { send } from './rest.js'
import { noClose, type ClientTarget, type ServerClient } from './types.js'

/**
 * Hetzner Robot as syself/hrobot-go calls it (client.go: HTTP Basic, form bodies; server.go
 * ServerGetList, ServerSetName; Hetzner publishes no npm client), with `Authorization: Bearer`
 * carrying the Cloudlink token instead. Robot cannot create servers, so the write is a rename:
 * `create(name)` names the first server `name` and answers its number, `remove(number)` gives it
 * back the name it had.
 */
export function client(target: ClientTarget): ServerClient {
  const { token, credentials } = target
  const authorization = token
    ? `Bearer ${token}`
    : `Basic ${Buffer.from(`${credentials?.username}:${credentials?.password}`).toString('base64')}`
  const headers = { authorization, 'user-agent': 'hrobot-client/0.2.5' }
  const renamed = new Map<string, string>()
  type Listed = { server: { server_number: number; server_name: string } }[]
  const list = async (): Promise<Listed> => {
    try {
      return (await send(`${target.baseUrl}/server`, { headers })) as Listed
    } catch (err) {
      // Robot answers an account without servers with 404 SERVER_NOT_FOUND.
      if ((err as { status?: number }).status === 404) return []
      throw err
    }
  }
  const rename = (number: string, name: string) =>
    send(`${target.baseUrl}/server/${number}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ server_name: name }).toString(),
    })
  const servers = async () => (await list()).map((s) => s.server.server_name)
  return {
    servers,
    list: servers,
    async create(name) {
      const [first] = await list()
      if (!first) throw new Error('the account has no server to rename')
      const number = String(first.server.server_number)
      if (!renamed.has(number)) renamed.set(number, first.server.server_name)
      await rename(number, name)
      return number
    },
    async remove(number) {
      const original = renamed.get(number)
      if (original === undefined) throw new Error(`server ${number} was not renamed here`)
      await rename(number, original)
      renamed.delete(number)
    },
    close: noClose,
  }
}
