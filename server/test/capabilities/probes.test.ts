import t from 'tap'
import type { ProviderId } from '@cloudlink/shared'
import { simContext } from '../providers/sim-context.js'
import { mutating } from './support.js'

type Level = 'write' | 'read' | 'none' | 'unknown'
type SimAccess = {
  compute?: 'write' | 'read' | 'none'
  dns?: 'write' | 'read' | 'none'
  storage?: 'write' | 'read' | 'none'
}
interface Case {
  access: SimAccess
  want: Partial<Record<'compute' | 'dns' | 'storage', { level: Level; missing?: string[] }>>
}

/** Per provider: full, read-only and a credential without DNS (or storage, where no DNS). */
const CASES: Partial<Record<ProviderId, Case[]>> = {
  vultr: [
    {
      access: {},
      want: { compute: { level: 'write' }, dns: { level: 'write' }, storage: { level: 'write' } },
    },
    {
      access: { compute: 'read', dns: 'read', storage: 'read' },
      want: {
        compute: { level: 'read', missing: ['subscriptions', 'provisioning'] },
        storage: { level: 'none', missing: ['objstore'] },
      },
    },
    {
      access: { dns: 'none' },
      want: { compute: { level: 'write' }, dns: { level: 'none', missing: ['dns'] } },
    },
  ],
  linode: [
    {
      access: {},
      want: { compute: { level: 'write' }, dns: { level: 'write' }, storage: { level: 'write' } },
    },
    {
      access: { compute: 'read', dns: 'read', storage: 'read' },
      want: {
        compute: { level: 'read', missing: ['linodes:read_write'] },
        dns: { level: 'read', missing: ['domains:read_write'] },
      },
    },
    {
      access: { dns: 'none' },
      want: {
        compute: { level: 'write' },
        dns: { level: 'none', missing: ['domains:read_write'] },
      },
    },
  ],
  'ovh-eu': [
    { access: {}, want: { compute: { level: 'write' } } },
    {
      access: { compute: 'read' },
      want: {
        compute: { level: 'read', missing: ['POST /cloud/project/*', 'DELETE /cloud/project/*'] },
      },
    },
  ],
  cloudflare: [
    { access: {}, want: { dns: { level: 'write' }, storage: { level: 'write' } } },
    {
      access: { dns: 'read', storage: 'read' },
      want: {
        dns: { level: 'read', missing: ['Zone → DNS: Edit'] },
        storage: { level: 'read', missing: ['Account → Workers R2 Storage: Edit'] },
      },
    },
    { access: { storage: 'none' }, want: { dns: { level: 'write' }, storage: { level: 'none' } } },
  ],
  scaleway: [
    { access: {}, want: { compute: { level: 'write' } } },
    {
      access: { compute: 'read' },
      want: { compute: { level: 'read', missing: ['InstancesFullAccess'] } },
    },
    {
      access: { compute: 'none' },
      want: { compute: { level: 'none', missing: ['InstancesFullAccess'] } },
    },
  ],
  'hetzner-robot': [
    { access: {}, want: { compute: { level: 'write' } } },
    { access: { compute: 'read' }, want: { compute: { level: 'read' } } },
  ],
  aws: [
    { access: {}, want: { compute: { level: 'write' } } },
    {
      access: { compute: 'read' },
      want: { compute: { level: 'read', missing: ['ec2:RunInstances', 'ec2:TerminateInstances'] } },
    },
  ],
}

/** No side-effect-free way: every declared capability is unknown, with guidance. */
const UNKNOWN: ProviderId[] = ['hetzner-cloud', 'digitalocean', 'hostinger', 'transip', 'upcloud']

for (const [id, cases] of Object.entries(CASES) as [ProviderId, Case[]][]) {
  t.test(`${id}: probe`, async (t) => {
    const { sim, module, ctx } = await simContext(t, id)
    for (const c of cases) {
      const credentials = module.validate(sim.issueCredential({ access: c.access }))
      sim.clearRequests()
      const access = await module.probe(ctx, credentials, module.descriptor.capabilities)
      const label = JSON.stringify(c.access)
      for (const [capability, want] of Object.entries(c.want)) {
        const got = access[capability as keyof typeof access]
        t.equal(got?.level, want.level, `${label}: ${capability} level (${got?.evidence})`)
        if (want.missing) t.same(got?.missing, want.missing, `${label}: ${capability} missing`)
        t.ok(got?.evidence, `${label}: ${capability} says how it was learnt`)
        t.ok(got && !Number.isNaN(Date.parse(got.checkedAt)), 'checkedAt')
      }
      t.ok(sim.requests.length > 0, `${label}: the probe asked the provider`)
      t.same(mutating(sim.requests), [], `${label}: no mutating request`)
    }
  })
}

for (const id of UNKNOWN) {
  t.test(`${id}: no safe way → unknown with guidance`, async (t) => {
    const { sim, module, ctx } = await simContext(t, id)
    const credentials = module.validate(sim.issueCredential())
    sim.clearRequests()
    const access = await module.probe(ctx, credentials, module.descriptor.capabilities)
    for (const capability of module.descriptor.capabilities) {
      t.equal(access[capability]?.level, 'unknown', capability)
      t.match(access[capability]?.evidence, /cannot|every permission|offers no/, 'guidance')
    }
    t.same(sim.requests, [], 'nothing was asked')
  })
}

t.test(
  'a probe without an answer learns nothing (the account keeps its last access)',
  async (t) => {
    for (const id of Object.keys(CASES) as ProviderId[]) {
      const { sim, module, ctx } = await simContext(t, id)
      const credentials = module.validate(sim.issueCredential())
      sim.fault({ kind: 'hang' })
      t.same(
        await module.probe(ctx, credentials, module.descriptor.capabilities),
        {},
        `${id}: timeout`,
      )
      sim.fault({ kind: 'status', status: 503 })
      t.same(await module.probe(ctx, credentials, module.descriptor.capabilities), {}, `${id}: 503`)
      sim.fault(null)
    }
  },
)
