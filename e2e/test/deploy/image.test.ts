import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, matchesGlob } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { parse } from 'yaml'

/**
 * What can be checked of the container set-up without a Docker engine: every file the image copies
 * exists after a build and is not excluded by .dockerignore, the image starts the app exactly as the
 * README and `npm start` do, and the compose services name every variable a production instance
 * needs (each one documented in .env.example).
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..')
const read = (path: string) => readFileSync(join(root, path), 'utf8')
const dockerfile = read('Dockerfile')
const ignored = read('.dockerignore')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))

interface Copy {
  from: string | null
  sources: string[]
  line: string
}
const copies: Copy[] = dockerfile
  .split('\n')
  .filter((l) => /^COPY\s/.test(l))
  .map((line) => {
    const words = line.split(/\s+/).slice(1)
    const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length) ?? null
    const paths = words.filter((w) => !w.startsWith('--'))
    return { from, sources: paths.slice(0, -1), line }
  })

t.test('the build context has every file the image copies, none of them ignored', async (t) => {
  const fromContext = copies.filter((c) => c.from === null)
  t.ok(fromContext.length > 5)
  for (const copy of fromContext)
    for (const source of copy.sources) {
      t.ok(existsSync(join(root, source)), `${source} exists`)
      t.notOk(
        ignored.some((pattern) => matchesGlob(source, pattern)),
        `${source} is not excluded by .dockerignore`,
      )
    }
})

t.test('what the runtime stage copies from the build stage exists after a build', async (t) => {
  const fromBuild = copies.filter((c) => c.from === 'build')
  t.ok(fromBuild.some((c) => c.sources.includes('/app/server/dist')))
  t.ok(fromBuild.some((c) => c.sources.includes('/app/web/dist')))
  for (const copy of fromBuild)
    for (const source of copy.sources) {
      const path = source.replace(/^\/app\//, '')
      t.ok(existsSync(join(root, path)), `${path} exists after \`pnpm run build\``)
    }
  for (const copy of copies.filter((c) => c.from === 'prod-deps'))
    for (const source of copy.sources)
      t.match(source, /^\/app\/([a-z0-9]+\/)?node_modules$/, 'only installed dependencies')
  t.ok(existsSync(join(root, 'server/dist/server.js')), 'the entry point is built')
  t.ok(existsSync(join(root, 'server/dist/jobs/recheck.js')), 'the recheck worker is built')
})

t.test('the image starts the app as the README and npm start do, unprivileged', async (t) => {
  const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(dockerfile)?.[1]
  t.same(JSON.parse(cmd ?? 'null'), ['node', 'server/dist/server.js'])
  t.match(read('scripts/cloudlink.sh'), /exec node server\/dist\/server\.js/)
  t.match(read('README.md'), /node server\/dist\/server\.js/)
  const stages = dockerfile.split(/^FROM /m)
  const runtime = stages[stages.length - 1] ?? ''
  t.match(runtime, /^USER node$/m, 'runs as the node user')
  t.match(runtime, /^HEALTHCHECK .*\n?.*\/health\/ready/m, 'health check on readiness')
  t.match(dockerfile, /^ARG NODE_IMAGE=node:24-slim$/m, 'Node 24 slim')
  t.notMatch(runtime, /pnpm install(?!.*--prod)/, 'no development install in the runtime stage')
  // npm start must hand signals to node: `exec` keeps npm's child the server itself.
  const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> }
  t.match(pkg.scripts.start, /^exec /)
})

t.test(
  'compose: PostgreSQL, Redis, replicas behind a proxy, every required variable',
  async (t) => {
    const compose = parse(read('docker-compose.yml')) as {
      services: Record<
        string,
        { build?: unknown; image?: string; environment?: Record<string, unknown> }
      >
    }
    const services = compose.services
    t.ok(services.db?.image?.startsWith('postgres:'))
    t.ok(services.redis?.image?.startsWith('redis:'))
    t.ok(services.proxy?.image?.startsWith('caddy:'))
    const apps = Object.entries(services).filter(([, s]) => s.build !== undefined)
    t.ok(apps.length >= 2, 'at least two replicas built from the Dockerfile')
    const required = ['DATABASE_URL', 'VAULT_KEYS', 'JWT_SECRET', 'PUBLIC_URL', 'REDIS_URL']
    for (const [name, service] of apps)
      for (const variable of required)
        t.ok(service.environment?.[variable], `${name} sets ${variable}`)
    const example = read('.env.example')
    for (const [, variable] of read('docker-compose.yml').matchAll(/\$\{([A-Z_]+):\?/g))
      t.match(example, new RegExp(`^#? ?${variable}=`, 'm'), `${variable} is in .env.example`)
    const caddy = read('deploy/Caddyfile')
    for (const [name] of apps)
      t.match(caddy, new RegExp(`${name}:3000`), `the proxy reaches ${name}`)
    t.match(caddy, /health_uri \/health\/ready/)
  },
)
