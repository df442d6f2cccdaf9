import t from 'tap'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfigError, loadConfig, publicUrl } from '../src/config.js'

const VAULT_KEYS = `k1:${randomBytes(32).toString('base64')}`
const JWT_SECRET = randomBytes(32).toString('base64url')
const DATABASE_URL = 'postgresql://cloudlink@127.0.0.1:5432/cloudlink'

t.test('defaults', async (t) => {
  const config = loadConfig({})
  t.match(config, {
    PORT: 3000,
    HOST: '127.0.0.1',
    DATA_DIR: './.data',
    LOG_LEVEL: 'info',
    RECHECK_SCHEDULE: 'daily',
    WORKSPACE_CREATION: 'owners',
    SANDBOX: false,
    embedded: true,
    providerUrls: {},
    oauth: {},
  })
  t.equal(config.DATABASE_URL, undefined, 'no DATABASE_URL means the embedded database')
  t.equal(config.VAULT_KEYS, undefined, 'embedded mode generates its keys later')
  t.equal(publicUrl(config), 'http://127.0.0.1:3000')
})

t.test('values are converted, and an empty value counts as unset', async (t) => {
  const config = loadConfig({
    PORT: '8080',
    LOG_LEVEL: 'warn',
    SANDBOX: '1',
    DATABASE_URL,
    VAULT_KEYS,
    JWT_SECRET,
    HOST: '',
    PROVIDER_URL_HETZNER_CLOUD: 'http://127.0.0.1:9000/',
    OAUTH_DIGITALOCEAN_CLIENT_ID: 'client-id',
  })
  t.match(config, {
    PORT: 8080,
    LOG_LEVEL: 'warn',
    SANDBOX: true,
    embedded: false,
    HOST: '127.0.0.1',
  })
  t.same(config.providerUrls, { PROVIDER_URL_HETZNER_CLOUD: 'http://127.0.0.1:9000' })
  t.same(config.oauth, { OAUTH_DIGITALOCEAN_CLIENT_ID: 'client-id' })
})

t.test('a bad value is a ConfigError naming the variable', async (t) => {
  const bad: [string, string][] = [
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['PORT', 'true'],
    ['LOG_LEVEL', 'bogus'],
    ['LOG_LEVEL', 'INFO'],
    ['VAULT_KEYS', 'not-a-key'],
    ['VAULT_KEYS', `k1:${randomBytes(16).toString('base64')}`],
    ['VAULT_KEYS', `${VAULT_KEYS},`],
    ['JWT_SECRET', 'too short'],
    ['DATABASE_URL', 'mysql://db/cloudlink'],
    ['PUBLIC_URL', 'cloudlink.example.com'],
    ['PROVIDER_URL_HETZNER_CLOUD', 'not a url'],
    ['PROVIDER_URL_HETZNER_CLOUD', 'ftp://127.0.0.1:9000'],
    ['PROVIDER_URL_DIGITALOCEAN', 'http://127.0.0.1:9000/v2'],
    ['WORKSPACE_CREATION', 'everyone'],
    ['SMTP_URL', 'mail.example.com:25'],
    ['SMTP_URL', 'smtp://'],
    ['SMTP_URL', 'smtp://user:pa ss@mail.example.com'],
    ['MAIL_FROM', 'x'],
    ['WEBHOOK_ALLOW_HTTP', 'yes'],
    ['WEBHOOK_ALLOW_PRIVATE', 'true'],
  ]
  for (const [variable, value] of bad) {
    const label = `${variable}=${value.slice(0, 30)}`
    t.throws(() => loadConfig({ [variable]: value }), ConfigError, label)
    t.throws(
      () => loadConfig({ [variable]: value }),
      { variable, message: new RegExp(variable) },
      label,
    )
  }
})

t.test('DATABASE_URL needs VAULT_KEYS and JWT_SECRET from the operator', async (t) => {
  t.throws(() => loadConfig({ DATABASE_URL }), { name: 'ConfigError', variable: 'VAULT_KEYS' })
  t.throws(() => loadConfig({ DATABASE_URL, JWT_SECRET }), {
    variable: 'VAULT_KEYS',
    message: /VAULT_KEYS/,
  })
  t.throws(() => loadConfig({ DATABASE_URL, VAULT_KEYS }), {
    variable: 'JWT_SECRET',
    message: /JWT_SECRET/,
  })
  t.match(loadConfig({ DATABASE_URL, VAULT_KEYS, JWT_SECRET }), { embedded: false, DATABASE_URL })
})

t.test('the server process refuses a bad LOG_LEVEL and says so', async (t) => {
  const serverDir = fileURLToPath(new URL('..', import.meta.url))
  // A DATA_DIR of its own: were the config wrongly accepted, nothing lands in the checkout.
  const dataDir = await mkdtemp(join(tmpdir(), 'cloudlink-config-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  const child = spawn('pnpm', ['exec', 'tsx', 'src/server.ts'], {
    cwd: serverDir,
    env: {
      // This test's Node first, so pnpm and tsx run on the project's Node, not the machine's.
      PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
      HOME: process.env.HOME ?? tmpdir(),
      PORT: '1',
      LOG_LEVEL: 'bogus',
      DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += String(chunk)))
  child.stderr.on('data', (chunk) => (output += String(chunk)))
  // A server that started after all would never exit on its own.
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('exit', (c, s) => resolve([c, s])),
  )
  clearTimeout(timer)
  t.equal(signal, null, 'it exited by itself')
  t.not(code, 0, 'with a non-zero status')
  t.match(output, /configuration error: LOG_LEVEL/)
})
