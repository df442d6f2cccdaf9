import hcloud from 'hcloud-js'
import { createApiClient } from 'dots-wrapper'
import { noClose, secretOf, type ClientTarget, type ServerClient } from './types.js'

/**
 * Providers whose SDK sends one Bearer secret: the Cloudlink token simply takes its place, and the
 * SDK's base URL becomes the broker's (or the simulator's) origin plus the provider's API root.
 */

/** Hetzner Cloud through hcloud-js: servers over pages of 50, a cx22 with Ubuntu in fsn1. */
export function hetznerCloud(target: ClientTarget): ServerClient {
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

/** DigitalOcean through dots-wrapper: droplets by `links.pages.next`, an s-1vcpu-1gb in fra1. */
export function digitalocean(target: ClientTarget): ServerClient {
  const api = createApiClient({
    token: secretOf(target, 'token'),
    endpoint: `${target.baseUrl}/v2`,
    requestTimeoutInMs: 10_000,
  })
  const servers = async () => {
    const names: string[] = []
    for (let page: number | null = 1; page;) {
      const { data } = await api.droplet.listDroplets({ page, per_page: 200 })
      names.push(...data.droplets.map((d) => d.name))
      const next = data.links?.pages?.next
      page = next ? Number(new URL(next).searchParams.get('page')) : null
    }
    return names
  }
  return {
    servers,
    list: servers,
    async create(name) {
      const { data } = await api.droplet.createDroplet({
        name,
        region: 'fra1',
        size: 's-1vcpu-1gb',
        image: 'ubuntu-24-04-x64',
      })
      return String(data.droplet.id)
    },
    async remove(id) {
      await api.droplet.deleteDroplet({ droplet_id: Number(id) })
    },
    close: noClose,
  }
}
