import t from 'tap'
import { PROVIDER_IDS, type ProviderId } from '@cloudlink/shared'
import type { Credentials, SimServer } from '../../src/simulators/index.js'
import { clientFor } from '../helpers/broker-clients.js'
import { cases } from '../helpers/provider-cases.js'
import { setUp, startFleet } from '../fleet/fleet.js'
import { connect, connectOAuth, oauthUser, proxyUrl, useToken } from './support.js'

/**
 * Every provider through the broker, with the provider's own client library (helpers/broker-clients)
 * pointed at `…/cloud-accounts/:id/proxy` and holding nothing but an `accounts:use` token: the read
 * (its servers) and the write (a server created and deleted, or the provider's nearest harmless
 * write) succeed, every request that reached the provider carried the stored credential, and the
 * Cloudlink token never reached the provider at all. One server process, the simulators in this
 * process (PROVIDER_URL_<ID>), as the fleet tests run it.
 */

const OAUTH = { clientId: 'broker-e2e-client', clientSecret: 'broker-e2e-secret' }
const oauthEnv = Object.fromEntries(
  ['AZURE', 'GCP'].flatMap((id) => [
    [`OAUTH_${id}_CLIENT_ID`, OAUTH.clientId],
    [`OAUTH_${id}_CLIENT_SECRET`, OAUTH.clientSecret],
  ]),
)

const fleet = await startFleet(t, 1, oauthEnv, [...PROVIDER_IDS])
const base = fleet.instances[0]!.url
const owner = await setUp(base)

const server = (id: string, name: string, region: string, extra: Partial<SimServer> = {}) => ({
  providerServerId: id,
  name,
  status: 'running',
  region,
  ipv4: '192.0.2.10',
  ...extra,
})

/** Accounts whose write needs something the default generated servers lack. */
const SERVERS: Partial<Record<ProviderId, SimServer[]>> = {
  // The read is the dedicated servers; the write a Public Cloud instance in an existing project.
  'ovh-eu': [
    server('ns100001.ip-192-0-2.eu', 'node-1', 'gra3', { status: 'poweron' }),
    server('5f1a0000-0000-4000-a000-000000000001', 'ci-1', 'GRA11', {
      kind: 'instance',
      project: 'b'.repeat(32),
    }),
  ],
  'ovh-ca': [
    server('ns100002.ip-192-0-2.net', 'node-1', 'bhs2', { status: 'poweron' }),
    server('5f1a0000-0000-4000-a000-000000000002', 'ci-1', 'BHS5', {
      kind: 'instance',
      project: 'c'.repeat(32),
    }),
  ],
  // The client works in eu-west-1, where this instance runs.
  aws: [server('i-0000000000000e001', 'eu-1', 'eu-west-1a')],
  azure: [server('0f1d0000-0000-4000-a000-000000000001', 'vm-1', 'westeurope')],
  gcp: [server('5000000000000000001', 'vm-1', 'europe-west1-b', { status: 'RUNNING' })],
}

/** Connects an account of `provider`; its id and what the simulator logs for its credential. */
async function account(
  provider: ProviderId,
): Promise<{ id: string; logged: (c: string | null) => boolean }> {
  const sim = fleet.sims.get(provider)!
  const servers = SERVERS[provider]
  if (provider === 'azure' || provider === 'gcp') {
    await oauthUser(sim, OAUTH.clientId, OAUTH.clientSecret, servers ?? [])
    const id = await connectOAuth(base, owner, provider)
    // The grant's access tokens are the server's own: any of them, never anything else.
    const issued = provider === 'gcp' ? /^ya29\./ : /^ey[\w-]+\.[\w-]+\.[\w-]+$/
    return { id, logged: (c) => c !== null && issued.test(c) }
  }
  const credentials: Credentials = sim.issueCredential(servers ? { servers } : {})
  const id = await connect(base, owner, provider, credentials)
  const stored = cases.find((c) => c.id === provider)!.logged(credentials)
  return { id, logged: (c) => c === stored }
}

for (const provider of PROVIDER_IDS)
  t.test(`${provider} through the broker with its own client library`, async (t) => {
    const sim = fleet.sims.get(provider)!
    const { id, logged } = await account(provider)
    const token = await useToken(base, owner, [id])
    const api = clientFor(provider, { baseUrl: proxyUrl(base, owner, id), token })
    t.teardown(() => api.close())
    sim.clearRequests()

    t.ok((await api.servers()).length > 0, 'the read: its servers')
    const name = `cl-broker-${provider.replace(/[^a-z]/g, '')}`
    const made = await api.create(name)
    t.ok((await api.list()).includes(name), `written: ${made}`)
    const removed = await api.remove(made).then(
      () => null,
      (err: unknown) => String(err),
    )
    t.equal(removed, null, 'removed')
    t.notOk((await api.list()).includes(name), 'and undone')

    const seen = sim.requests.filter((r) => r.credential !== null)
    t.ok(
      seen.some((r) => r.method !== 'GET'),
      'the writes reached the provider',
    )
    t.same(
      seen.filter((r) => !logged(r.credential)).map((r) => `${r.method} ${r.path}`),
      [],
      'every request carried the stored credential',
    )
    t.notOk(JSON.stringify(sim.requests).includes(token), 'the Cloudlink token never reached it')
  })
