import { setTimeout as sleep } from 'node:timers/promises'
import { send } from './rest.js'
import { noClose, type ClientTarget, type ServerClient } from './types.js'

/** Ubuntu Server 24.04 LTS, the public template a clone starts from (upcloud-go-api examples). */
const UBUNTU_TEMPLATE = '01000000-0000-4000-8000-000030240200'

/**
 * UpCloud as UpCloudLtd/upcloud-go-api calls it (upcloud/client/client.go: JSON in and out,
 * Bearer token or Basic; upcloud/request/server.go: CreateServerRequest, StopServerRequest,
 * WaitForServerState, DeleteServerAndStoragesRequest; UpCloud publishes no npm client). A server
 * must be stopped before it is deleted, so `remove` stops it and waits, as the Go client's users do.
 */
export function client(target: ClientTarget): ServerClient {
  const { token, credentials } = target
  const secret = token ?? credentials?.token
  const authorization = secret
    ? `Bearer ${secret}`
    : `Basic ${Buffer.from(`${credentials?.username}:${credentials?.password}`).toString('base64')}`
  const headers = { authorization, accept: 'application/json', 'content-type': 'application/json' }
  const api = (path: string, init: RequestInit = {}) =>
    send(`${target.baseUrl}/1.3${path}`, { ...init, headers })
  type Servers = { servers: { server: { uuid: string; title: string }[] } }
  type Details = { server: { uuid: string; state: string } }
  const servers = async () => ((await api('/server')) as Servers).servers.server.map((s) => s.title)
  return {
    servers,
    list: servers,
    async create(name) {
      const body = {
        server: {
          zone: 'fi-hel1',
          title: name,
          hostname: `${name}.cloudlink.test`,
          plan: '1xCPU-1GB',
          metadata: 'yes',
          password_delivery: 'none',
          storage_devices: {
            storage_device: [
              {
                action: 'clone',
                storage: UBUNTU_TEMPLATE,
                title: `${name} OS disk`,
                size: 25,
                tier: 'maxiops',
              },
            ],
          },
          networking: {
            interfaces: {
              interface: [{ ip_addresses: { ip_address: [{ family: 'IPv4' }] }, type: 'public' }],
            },
          },
        },
      }
      const created = (await api('/server', {
        method: 'POST',
        body: JSON.stringify(body),
      })) as Details
      return created.server.uuid
    },
    async remove(uuid) {
      const stop = { stop_server: { stop_type: 'hard', timeout: '60' } }
      await api(`/server/${uuid}/stop`, { method: 'POST', body: JSON.stringify(stop) })
      for (let tries = 0; ; tries++) {
        const { server } = (await api(`/server/${uuid}`)) as Details
        if (server.state === 'stopped') break
        if (tries === 30) throw new Error(`server ${uuid} did not stop`)
        await sleep(1000)
      }
      await api(`/server/${uuid}/?storages=1`, { method: 'DELETE' })
    },
    close: noClose,
  }
}
