import VultrNode from '@vultr/vultr-node'
import { noClose, secretOf, type ClientTarget, type ServerClient } from './types.js'

/** vultr-node hands back a failed call's Error instead of rejecting: made a rejection here. */
async function vultrCall<T>(call: Promise<unknown>): Promise<T> {
  const result = await call
  if (result instanceof Error) throw result
  return result as T
}

/** Vultr through @vultr/vultr-node: instances by the `meta.links.next` cursor, a vc2 in fra. */
export function client(target: ClientTarget): ServerClient {
  const api = VultrNode.initialize({
    apiKey: secretOf(target, 'apiKey'),
    baseUrl: `${target.baseUrl}/v2`,
  })
  interface Page {
    instances: { label: string }[]
    meta: { links: { next: string } }
  }
  const servers = async () => {
    const names: string[] = []
    let cursor = ''
    do {
      const params = cursor ? { per_page: '500', cursor } : { per_page: '500' }
      const page = await vultrCall<Page>(api.instances.listInstances(params))
      names.push(...page.instances.map((i) => i.label))
      cursor = page.meta.links.next
    } while (cursor)
    return names
  }
  return {
    servers,
    list: servers,
    async create(name) {
      // vultr-node types os_id as a string (the API documents an integer).
      const params = { region: 'fra', plan: 'vc2-1c-1gb', os_id: '2284', label: name }
      const { instance } = await vultrCall<{ instance: { id: string } }>(
        api.instances.createInstance(params),
      )
      return instance.id
    },
    async remove(id) {
      await vultrCall(api.instances.deleteInstance({ 'instance-id': id }))
    },
    close: noClose,
  }
}
