import t from 'tap'
import { startSimulator } from '@cloudlink/e2e/simulators'
import { providerUrlEnvName } from '@cloudlink/shared'
import { createProviderHttp } from '../../src/providers/core/http.js'
import { providerModules } from '../../src/providers/index.js'
import { ApiError } from '../../src/errors.js'
import { providerCases } from './cases.js'

/**
 * Every provider against its simulator over real HTTP: the verdict for each kind of answer a
 * provider can give. Only an authoritative refusal may be `rejected`.
 */
for (const pc of providerCases) {
  t.test(pc.id, async (t) => {
    const sim = await startSimulator(pc.id)
    t.teardown(() => sim.close())
    const module = providerModules[pc.id]
    const ctx = {
      http: createProviderHttp({
        providerName: module.descriptor.name,
        origins: module.origins,
        override: sim.url,
        timeoutMs: 1500,
      }),
    }
    t.ok(providerUrlEnvName(pc.id).startsWith('PROVIDER_URL_'))

    t.test('verified, with servers and a masked hint', async (t) => {
      const creds = module.validate(sim.issueCredential())
      const result = await module.verify(ctx, creds)
      t.equal(result.outcome, 'verified', JSON.stringify(result))
      if (result.outcome === 'verified' && pc.hasIdentity)
        t.ok(result.identity && Object.keys(result.identity).length > 0)
      const list = await module.listServers(ctx, creds)
      t.equal(list.outcome, 'listed')
      if (list.outcome === 'listed' && pc.listsServers === false) {
        t.equal(list.servers.length, 0)
        t.ok(list.note, 'says why the list is empty')
      } else if (list.outcome === 'listed') t.equal(list.servers.length, 2)
      const hint = module.hint(creds)
      t.match(hint, /••••/)
      for (const value of Object.values(creds))
        if (value.length > 8) t.notOk(hint.includes(value.slice(0, -4)), 'hint hides the secret')
    })

    t.test('revoked → rejected with the provider status', async (t) => {
      const raw = sim.issueCredential()
      sim.revoke(raw)
      const result = await module.verify(ctx, module.validate(raw))
      t.equal(result.outcome, 'rejected')
      if (result.outcome === 'rejected') {
        t.equal(result.providerStatus, pc.revokedStatus)
        t.ok(result.reason.length > 10)
      }
      sim.restore(raw)
      t.equal(
        (await module.verify(ctx, module.validate(raw))).outcome,
        'verified',
        'restored works again',
      )
    })

    t.test('insufficient permission → rejected naming what is missing', async (t) => {
      const creds = module.validate(sim.issueCredential({ scopes: 'insufficient' }))
      const verify = await module.verify(ctx, creds)
      const result = verify.outcome === 'verified' ? await module.listServers(ctx, creds) : verify
      if (pc.hasPermissions === false) {
        t.equal(result.outcome, 'listed', 'no permissions to lack')
        return
      }
      t.equal(result.outcome, 'rejected', JSON.stringify(result))
      if (result.outcome === 'rejected') t.match(result.reason, /scope|permission|access/i)
    })

    const faults = [
      {
        name: 'rate limited',
        fault: { kind: 'rate-limit' as const, retryAfter: 30 },
        reason: 'rate_limited',
      },
      {
        name: '500',
        fault: { kind: 'status' as const, status: 500 as const },
        reason: 'server_error',
      },
      {
        name: '503',
        fault: { kind: 'status' as const, status: 503 as const },
        reason: 'server_error',
      },
      { name: 'malformed body', fault: { kind: 'malformed' as const }, reason: 'server_error' },
      { name: 'connection reset', fault: { kind: 'reset' as const }, reason: 'network' },
      { name: 'timeout', fault: { kind: 'hang' as const }, reason: 'timeout' },
    ]
    for (const f of faults) {
      t.test(`${f.name} → unreachable (${f.reason})`, async (t) => {
        const creds = module.validate(sim.issueCredential())
        sim.fault(f.fault)
        t.teardown(() => sim.fault(null))
        const result = await module.verify(ctx, creds)
        t.equal(result.outcome, 'unreachable', JSON.stringify(result))
        if (result.outcome === 'unreachable') {
          t.equal(result.reason, f.reason)
          if (f.reason === 'rate_limited' && pc.sendsRetryAfter) t.equal(result.retryAfter, 30)
        }
      })
    }

    t.test('format error → 400 naming the field, before any request', async (t) => {
      sim.clearRequests()
      const failure = (credentials: Record<string, string>) => {
        try {
          module.validate(credentials)
        } catch (err: unknown) {
          return err
        }
        return null
      }
      const malformed = failure(pc.malformed.credentials)
      t.ok(malformed instanceof ApiError && malformed.statusCode === 400)
      t.match(JSON.stringify((malformed as ApiError).details), pc.malformed.field)
      const unknown = failure({ ...sim.issueCredential(), extra: 'x' })
      t.ok(unknown instanceof ApiError && unknown.statusCode === 400, 'unknown field')
      t.equal(sim.requests.length, 0)
    })
  })
}
