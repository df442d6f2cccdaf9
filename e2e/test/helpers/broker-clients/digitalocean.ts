import { createApiClient } from 'dots-wrapper'
import { noClose, secretOf, type ClientTarget, type ServerClient } from './types.js'

/** DigitalOcean through dots-wrapper: droplets by `links.pages.next`, an s-1vcpu-1gb in fra1. */
export function client(target: ClientTarget): ServerClient {
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
