import t from 'tap'
import { build } from '../helper.js'
import { team } from '../support/fixtures.js'
import { accountsOf, runFlow } from '../oauth/support.js'
import { mutating } from './support.js'

/**
 * One-click providers prove access too: Azure through its effective permissions at subscription
 * scope, Google Cloud through testIamPermissions (a question, not a write); DigitalOcean has no way
 * to tell. The simulators' own request logs show nothing was changed.
 */
t.test(
  'sandbox one-click connect: Azure and Google Cloud prove write, DigitalOcean is unknown',
  async (t) => {
    const { app } = await build(t, { config: { SANDBOX: '1', RECHECK_SCHEDULE: '0 0 1 1 *' } })
    const { workspaceId, owner } = await team(app)
    const providers = ['azure', 'gcp', 'digitalocean'] as const
    for (const provider of providers) {
      await fetch(`${app.sandbox.urls[provider]}/__sim/requests`, { method: 'DELETE' })
      const flow = await runFlow(app, { provider, headers: owner.headers, workspaceId })
      t.ok(flow.landed?.searchParams.get('connected'), `${provider}: ${flow.landed?.search}`)
    }
    const accounts = await accountsOf(app, workspaceId, owner.headers)
    const byProvider = Object.fromEntries(accounts.map((a) => [a.provider, a]))
    t.match(byProvider.azure?.access.compute, {
      level: 'write',
      missing: [],
      evidence: /Microsoft\.Authorization\/permissions on subscription/,
    })
    t.match(byProvider.gcp?.access.compute, { level: 'write', evidence: /testIamPermissions on / })
    for (const capability of ['compute', 'dns', 'storage'] as const)
      t.equal(
        byProvider.digitalocean?.access[capability]?.level,
        'unknown',
        `DigitalOcean ${capability}`,
      )
    for (const provider of providers) {
      const log = (await (await fetch(`${app.sandbox.urls[provider]}/__sim/requests`)).json()) as {
        items: Parameters<typeof mutating>[0]
      }
      // The OAuth server's token exchange is the connect itself, not a probe.
      const calls = mutating(log.items).filter((c) => !/token$/.test(c))
      t.same(calls, [], `${provider}: no mutating request`)
    }
  },
)
