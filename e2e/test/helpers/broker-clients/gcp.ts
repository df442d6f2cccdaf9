import { compute } from '@googleapis/compute'
import { cloudresourcemanager } from '@googleapis/cloudresourcemanager'
import { OAuth2Client } from 'google-auth-library'
import { noClose, secretOf, type ClientTarget, type ServerClient } from './types.js'

const ZONE = 'europe-west1-b'

/**
 * Google Cloud through google-auth-library and the generated googleapis clients (`rootUrl` is the
 * base URL). The access token (or Cloudlink token) is set as the client's credential, so it goes
 * out as `Authorization: Bearer`; through the broker, the Resource Manager call names its origin
 * (`X-Cloudlink-Origin: crm`), Compute Engine is the default one. The project is the first the
 * token sees; the write is an e2-small in europe-west1-b, inserted and deleted, each operation
 * waited for (zoneOperations.wait), as gcloud does.
 */
export function client(target: ClientTarget): ServerClient {
  const auth = new OAuth2Client()
  auth.setCredentials({
    access_token: secretOf(target, 'token'),
    expiry_date: Date.now() + 3_600_000,
  })
  // The googleapis packages declare google-auth-library 10's client; 11's is the same at runtime.
  const gce = compute({ version: 'v1', auth: auth as never })
  const crm = cloudresourcemanager({ version: 'v1', auth: auth as never })
  // Per call, not per client: googleapis-common resolves a client-wide rootUrl against each
  // method's absolute path, which drops a base path such as the broker's `…/proxy`.
  const at = { rootUrl: `${target.baseUrl}/` }
  const crmAt = target.token ? { ...at, headers: { 'X-Cloudlink-Origin': 'crm' } } : at
  let projectId: Promise<string> | undefined
  const project = () =>
    (projectId ??= crm.projects.list({ pageSize: 50 }, crmAt).then(({ data }) => {
      const id = data.projects?.[0]?.projectId
      if (!id) throw new Error('the token sees no project')
      return id
    }))
  const wait = async (operation: string | null | undefined) => {
    if (!operation) throw new Error('Compute Engine answered no operation')
    const { data } = await gce.zoneOperations.wait(
      { project: await project(), zone: ZONE, operation },
      at,
    )
    if (data.status !== 'DONE') throw new Error(`operation ${operation} is ${data.status}`)
  }
  const servers = async () => {
    const names: string[] = []
    let pageToken: string | undefined
    do {
      const { data } = await gce.instances.aggregatedList(
        { project: await project(), maxResults: 500, ...(pageToken ? { pageToken } : {}) },
        at,
      )
      for (const scoped of Object.values(data.items ?? {}))
        for (const instance of scoped.instances ?? []) names.push(instance.name ?? '')
      pageToken = data.nextPageToken ?? undefined
    } while (pageToken)
    return names
  }
  return {
    servers,
    list: servers,
    async create(name) {
      const { data } = await gce.instances.insert(
        {
          project: await project(),
          zone: ZONE,
          requestBody: {
            name,
            machineType: `zones/${ZONE}/machineTypes/e2-small`,
            disks: [
              {
                boot: true,
                autoDelete: true,
                initializeParams: {
                  sourceImage: 'projects/debian-cloud/global/images/family/debian-12',
                },
              },
            ],
            networkInterfaces: [
              {
                network: 'global/networks/default',
                accessConfigs: [{ type: 'ONE_TO_ONE_NAT', name: 'External NAT' }],
              },
            ],
          },
        },
        at,
      )
      await wait(data.name)
      return name
    },
    async remove(name) {
      const { data } = await gce.instances.delete(
        { project: await project(), zone: ZONE, instance: name },
        at,
      )
      await wait(data.name)
    },
    close: noClose,
  }
}
