import hcloud from 'hcloud-js'
import { noClose, secretOf, type ClientTarget, type ServerClient } from './types.js'

/** Hetzner Cloud through hcloud-js: servers over pages of 50, a cx22 with Ubuntu in fsn1. */
export function client(target: ClientTarget): ServerClient {
  const client = new hcloud.Client({
    token: secretOf(target, 'token'),
    baseURL: `${target.baseUrl}/v1/`,
    timeout: 10_000,
  })
  const servers = async () => {
    let page = await client.servers.list({ perPage: 50 })
    const names = page.servers.map((s) => s.name)
    while (page.nextPage) {
      page = await page.next()
      names.push(...page.servers.map((s) => s.name))
    }
    return names
  }
  return {
    servers,
    list: servers,
    async create(name) {
      const builder = client.servers.build(name).serverType('cx22').image('ubuntu-24.04')
      const { server } = await builder.location('fsn1').create()
      return String(server.id)
    },
    async remove(id) {
      await client.servers.delete(Number(id))
    },
    close: noClose,
  }
}
