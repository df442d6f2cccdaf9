import ovhClient from '@ovhcloud/node-ovh'
import { tlsFront } from '../tls-front.js'
import { type ClientTarget, type ServerClient } from './types.js'

/** Keys in OVHcloud's formats that no application has. */
const DUMMY_OVH = {
  appKey: 'CloudlinkBroker0',
  appSecret: 'CloudlinkBrokerDummySecret000000',
  consumerKey: 'CloudlinkBrokerDummyConsumer0000',
}

/** A flavor and an image of GRA11 (ids are UUIDs in OVHcloud's catalogue). */
const FLAVOR_ID = '0b3e0a6e-0000-4000-a000-00000000b3e8'
const IMAGE_ID = '6b1f0a2e-0000-4000-a000-000000002404'

/**
 * OVHcloud through @ovhcloud/node-ovh, which only speaks https and signs `https://host/path`: an
 * https front (started on first use, stopped by `close()`) stands before the base URL and adds
 * the Cloudlink token, for node-ovh has no hook of its own. `servers()` reads the dedicated servers; the write is a
 * Public Cloud instance in the account's first project (dedicated servers and VPS are bought).
 */
export function client(target: ClientTarget): ServerClient {
  const { token } = target
  let front: ReturnType<typeof tlsFront> | undefined
  const frontPort = async () => {
    const headers = token ? { addHeaders: { 'X-Cloudlink-Token': token } } : {}
    front ??= tlsFront(target.baseUrl, headers)
    return (await front).port
  }
  const base = new URL(target.baseUrl).pathname.replace(/\/$/, '')
  const keys = token
    ? DUMMY_OVH
    : {
        appKey: target.credentials?.applicationKey ?? '',
        appSecret: target.credentials?.applicationSecret ?? '',
        consumerKey: target.credentials?.consumerKey ?? '',
      }
  let client: ReturnType<typeof ovhClient> | undefined
  const call = async <T>(method: string, path: string, params?: object) => {
    client ??= ovhClient({
      ...keys,
      host: '127.0.0.1',
      port: await frontPort(),
      basePath: `${base}/1.0`,
    })
    return (await client.requestPromised(method, path, params)) as T
  }
  const projects = () => call<string[]>('GET', '/cloud/project')
  const instances = (serviceName: string) =>
    call<{ id: string; name: string }[]>('GET', '/cloud/project/{serviceName}/instance', {
      serviceName,
    })
  return {
    servers: () => call<string[]>('GET', '/dedicated/server'),
    async list() {
      const names: string[] = []
      for (const project of await projects())
        names.push(...(await instances(project)).map((i) => i.name))
      return names
    },
    async create(name) {
      const [serviceName] = await projects()
      if (!serviceName) throw new Error('the account has no Public Cloud project')
      const created = await call<{ id: string }>('POST', '/cloud/project/{serviceName}/instance', {
        serviceName,
        name,
        flavorId: FLAVOR_ID,
        imageId: IMAGE_ID,
        region: 'GRA11',
      })
      return created.id
    },
    async remove(id) {
      for (const serviceName of await projects())
        if ((await instances(serviceName)).some((i) => i.id === id))
          return void (await call('DELETE', '/cloud/project/{serviceName}/instance/{instanceId}', {
            serviceName,
            instanceId: id,
          }))
      throw new Error(`no project holds instance ${id}`)
    },
    close: async () => {
      if (front) await (await front).close()
    },
  }
}
