import { randomUUID } from 'node:crypto'
import * as linodeSdk from '@linode/api-v4'
import { noClose, secretOf, type ClientTarget, type ServerClient } from './types.js'

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
export function client(target: ClientTarget): ServerClient {
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
