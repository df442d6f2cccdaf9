import t from 'tap'
import { fileURLToPath } from 'node:url'
import { cruise, type ICruiseResult, type IForbiddenRuleType } from 'dependency-cruiser'

/**
 * The layers point one way: routes → plugins → domain → providers / db, and nothing runs back up.
 * dependency-cruiser reads every import (type-only ones too, `tsPreCompilationDeps`) and checks
 * these rules; the second test runs them on fixtures that break each one, so a rule that stopped
 * matching (a renamed folder, a changed resolver) fails here instead of passing silently.
 */
const FRAMEWORK = '(fastify|@fastify/[^/]+|fastify-plugin)'
const DATABASE = '(@mikro-orm/[^/]+|pg)'
/** An npm package as the resolver reports it (pnpm's store path ends in node_modules/<name>/ too). */
const pkg = (names: string) => `(^|/)node_modules/${names}/`

const rules: IForbiddenRuleType[] = [
  {
    name: 'no-cycle',
    comment: 'An import cycle makes load order matter and layers meaningless.',
    from: { path: '^src/' },
    to: { circular: true },
  },
  {
    name: 'domain-not-up',
    comment:
      'The domain is used by routes, plugins, the worker and the CLI; it imports none of them.',
    from: { path: '^src/domain/' },
    to: { path: '^src/(plugins|routes|jobs|cli)/|^src/(app|build-server|server)\\.ts$' },
  },
  {
    name: 'providers-plain',
    comment: 'Provider modules are plain code: no Fastify, no database, no vault, nothing above.',
    from: { path: '^src/providers/' },
    to: {
      path: [
        pkg(FRAMEWORK),
        pkg(DATABASE),
        '^src/(db|domain|plugins|routes|jobs|cli|embedded)/',
        '^src/(app|build-server|server)\\.ts$',
      ],
    },
  },
  {
    name: 'no-fastify-below-routes',
    comment: 'Only plugins and routes (and the server that builds them) know Fastify.',
    from: { path: '^src/(domain|providers|db|jobs|cli)/|^src/(errors|config)\\.ts$' },
    to: { path: pkg(FRAMEWORK) },
  },
].map((rule) => ({ severity: 'error', ...rule }) as IForbiddenRuleType)

async function violations(baseDir: string) {
  const { output } = await cruise(
    ['src'],
    {
      baseDir,
      validate: true,
      ruleSet: { forbidden: rules },
      tsPreCompilationDeps: true,
      // Packages and the other workspace packages are targets of rules, not walked into.
      doNotFollow: { path: ['node_modules', '^\\.\\./'] },
    },
    // Sources import `./x.js` for `./x.ts` (NodeNext); packages publish ESM `import` exports.
    {
      extensionAlias: { '.js': ['.ts', '.js'] },
      conditionNames: ['import', 'node', 'default'],
    },
  )
  const result = output as ICruiseResult
  return result.summary.violations.map(
    (v) =>
      `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (${v.cycle.map((c) => c.name).join(' → ')})` : ''}`,
  )
}

const serverRoot = fileURLToPath(new URL('..', import.meta.url))
const fixtures = fileURLToPath(new URL('./architecture/fixtures', import.meta.url))

t.test('server/src keeps its layers and has no import cycle', async (t) => {
  t.same(await violations(serverRoot), [])
})

t.test(
  'the rules catch a cycle, an upward import and a provider using Fastify or the database',
  async (t) => {
    const found = await violations(fixtures)
    const rulesHit = new Set(found.map((v) => v.split(':')[0]))
    t.same(
      [...rulesHit].sort(),
      ['domain-not-up', 'no-cycle', 'no-fastify-below-routes', 'providers-plain'],
      found.join('\n'),
    )
    t.ok(
      found.some((v) => v.includes('src/providers/provider.ts') && /mikro-orm/.test(v)),
      'the database',
    )
  },
)
