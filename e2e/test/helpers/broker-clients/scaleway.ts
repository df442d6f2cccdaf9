import { createClient } from '@scaleway/sdk-client'
import { Instancev1 } from '@scaleway/sdk-instance'
import { noClose, withToken, type ClientTarget, type ServerClient } from './types.js'

/** Scaleway's SDK validates both: an access key `SCW` + 17, a UUID secret. */
const DUMMY_SCALEWAY = {
  accessKey: 'SCWCLOUDLINKBROKER00',
  secretKey: '00000000-0000-4000-8000-000000000000',
}

/**
 * Scaleway through @scaleway/sdk-client and sdk-instance, in fr-par-1: a DEV1-S with Ubuntu Noble,
 * created stopped (as Scaleway creates them), so it can be deleted without a power-off first. The
 * SDK puts its secret in `X-Auth-Token`, which only takes a UUID, so the token goes beside it.
 */
export function client(target: ClientTarget): ServerClient {
  const { token } = target
  const keys = token
    ? DUMMY_SCALEWAY
    : { accessKey: target.credentials?.accessKey, secretKey: target.credentials?.secretKey }
  const api = new Instancev1.API(
    createClient({
      ...keys,
      apiURL: target.baseUrl,
      defaultZone: 'fr-par-1',
      defaultRegion: 'fr-par',
      interceptors: token ? [{ request: ({ request }) => withToken(request, token) }] : [],
    }),
  )
  const servers = async () =>
    (await api.listServers({ zone: 'fr-par-1', perPage: 100 }).all()).map((s) => s.name)
  return {
    servers,
    list: servers,
    async create(name) {
      const { server } = await api.createServer({
        zone: 'fr-par-1',
        name,
        commercialType: 'DEV1-S',
        image: 'ubuntu_noble',
        protected: false,
      })
      if (!server) throw new Error('Scaleway answered no server')
      return server.id
    },
    async remove(id) {
      await api.deleteServer({ zone: 'fr-par-1', serverId: id })
    },
    close: noClose,
  }
}
