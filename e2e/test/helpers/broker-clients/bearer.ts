import { randomUUID } from 'node:crypto'
import hcloud from 'hcloud-js'
import { createApiClient } from 'dots-wrapper'
import VultrNode from '@vultr/vultr-node'
import * as linodeSdk from '@linode/api-v4'
import { Configuration, VPSVirtualMachineApi } from 'hostinger-api-sdk'
import Cloudflare from 'cloudflare'
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

/** vultr-node hands back a failed call's Error instead of rejecting: made a rejection here. */
async function vultrCall<T>(call: Promise<unknown>): Promise<T> {
  const result = await call
  if (result instanceof Error) throw result
  return result as T
}

/** Vultr through @vultr/vultr-node: instances by the `meta.links.next` cursor, a vc2 in fra. */
export function vultr(target: ClientTarget): ServerClient {
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

/** The package's declarations re-export `./linodes` as a directory, which NodeNext cannot follow. */
const linodeApi = linodeSdk as unknown as Pick<typeof linodeSdk, 'baseRequest' | 'setToken'> & {
  getLinodes(p: {
    page: number
    page_size: number
  }): Promise<{ data: { label: string }[]; pages: number }>
  createLinode(data: Record<string, unknown>): Promise<{ id: number }>
  deleteLinode(id: number): Promise<object>
}

/**
 * Linode through @linode/api-v4, which has no base-URL option and keeps its token in interceptors
 * on one shared axios instance: each call adds its own (base URL swap, token) and removes them.
 */
export function linode(target: ClientTarget): ServerClient {
  const { baseRequest, createLinode, deleteLinode, getLinodes, setToken } = linodeApi
  const token = secretOf(target, 'token')
  async function as<T>(call: () => Promise<T>): Promise<T> {
    const redirect = baseRequest.interceptors.request.use((config: { url?: string }) => ({
      ...config,
      url: config.url?.replace('https://api.linode.com', target.baseUrl),
    }))
    const auth = setToken(token)
    try {
      return await call()
    } finally {
      baseRequest.interceptors.request.eject(auth)
      baseRequest.interceptors.request.eject(redirect)
    }
  }
  const servers = () =>
    as(async () => {
      const names: string[] = []
      for (let page = 1, pages = 1; page <= pages; page++) {
        const res = await getLinodes({ page, page_size: 500 })
        names.push(...res.data.map((l) => l.label))
        pages = res.pages
      }
      return names
    })
  return {
    servers,
    list: servers,
    create: (name) =>
      as(async () => {
        const created = await createLinode({
          label: name,
          region: 'eu-central',
          type: 'g6-nanode-1',
          image: 'linode/ubuntu24.04',
          root_pass: `Cl-${randomUUID()}`,
        })
        return String(created.id)
      }),
    remove: (id) => as(async () => void (await deleteLinode(Number(id)))),
    close: noClose,
  }
}

/**
 * Hostinger through hostinger-api-sdk. VPSes are bought, never created or deleted by the API, so
 * the write is the hostname: `create(name)` sets the first VM's to `<name>.cloudlink.test` and
 * answers the VM's id, `remove(id)` resets it; names are the hostnames' first labels.
 */
export function hostinger(target: ClientTarget): ServerClient {
  const config = new Configuration({
    accessToken: secretOf(target, 'token'),
    basePath: target.baseUrl,
  })
  const vms = new VPSVirtualMachineApi(config)
  const servers = async () => {
    const { data } = await vms.getVirtualMachinesV1()
    return data.map((vm) => vm.hostname.split('.')[0] as string)
  }
  return {
    servers,
    list: servers,
    async create(name) {
      const [first] = (await vms.getVirtualMachinesV1()).data
      if (!first) throw new Error('the account has no virtual machine to rename')
      await vms.setHostnameV1(first.id, { hostname: `${name}.cloudlink.test` })
      return String(first.id)
    },
    async remove(id) {
      await vms.resetHostnameV1(Number(id))
    },
    close: noClose,
  }
}

/**
 * Cloudflare through its official SDK. It has no servers: `servers()` reads the zones, and the
 * write is an A record in the first zone (names relative to the zone, as the record was asked for).
 */
export function cloudflare(target: ClientTarget): ServerClient {
  const cf = new Cloudflare({
    apiToken: secretOf(target, 'token'),
    baseURL: `${target.baseUrl}/client/v4`,
    maxRetries: 0,
  })
  const zones = async () => {
    const all = []
    for await (const zone of cf.zones.list({ per_page: 50 })) all.push(zone)
    return all
  }
  const firstZone = async () => {
    const [zone] = await zones()
    if (!zone) throw new Error('the account has no zone to write a record in')
    return zone
  }
  return {
    servers: async () => (await zones()).map((z) => z.name),
    async list() {
      const zone = await firstZone()
      const names = []
      for await (const r of cf.dns.records.list({ zone_id: zone.id, per_page: 100 }))
        names.push(
          r.name.endsWith(`.${zone.name}`) ? r.name.slice(0, -zone.name.length - 1) : r.name,
        )
      return names
    },
    async create(name) {
      const zone = await firstZone()
      const record = await cf.dns.records.create({
        zone_id: zone.id,
        type: 'A',
        name,
        content: '192.0.2.10',
        ttl: 1,
        proxied: false,
      })
      return record.id
    },
    async remove(id) {
      await cf.dns.records.delete(id, { zone_id: (await firstZone()).id })
    },
    close: noClose,
  }
}
