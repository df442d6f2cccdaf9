import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { createTestDatabase } from '../../src/testing/database.js'

export type Test = { teardown(fn: () => unknown): void; comment(...args: unknown[]): void }

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..')

// What a journey checks on a page (accessibility, layout, console and CSP), beside the harness.
export * from './page-checks.js'

export interface RunningApp {
  url: string
  /** Simulator origins by provider id, read from the server's sandbox log line. */
  simulators: Record<string, string>
  logs: string[]
}

/**
 * A fresh database (the server tests' helper: its own database on TEST_DATABASE_URL's server,
 * else embedded PGlite), with the keys a server on PostgreSQL needs.
 */
export async function databaseEnv(t: Test): Promise<Record<string, string>> {
  const { env } = await createTestDatabase(t)
  if (!env.DATABASE_URL) return env
  const dir = await mkdtemp(join(tmpdir(), 'cloudlink-e2e-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return {
    DATA_DIR: dir,
    ...env,
    VAULT_KEYS: `e2e:${randomBytes(32).toString('base64')}`,
    JWT_SECRET: randomBytes(48).toString('base64url'),
  }
}

/** A port that was free a moment ago (so PUBLIC_URL, and the invitation links built on it, are real). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

/** The real, built server (server/dist + web/dist) in sandbox mode, as a user would start it. */
export async function startApp(t: Test): Promise<RunningApp> {
  const env = await databaseEnv(t)
  const port = String(await freePort())
  const child: ChildProcess = spawn(process.execPath, [join(root, 'server/dist/server.js')], {
    env: { ...process.env, ...env, PORT: port, HOST: '127.0.0.1', SANDBOX: '1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const logs: string[] = []
  t.teardown(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
    }
  })
  return new Promise((resolve, reject) => {
    let simulators: Record<string, string> = {}
    const timer = setTimeout(
      () => reject(new Error(`server did not start:\n${logs.join('')}`)),
      90_000,
    )
    const onData = (chunk: Buffer) => {
      const text = chunk.toString()
      logs.push(text)
      for (const line of text.split('\n')) {
        if (line.includes('simulatorUrls')) {
          try {
            simulators = (JSON.parse(line) as { simulatorUrls: Record<string, string> })
              .simulatorUrls
          } catch {
            // not a JSON log line
          }
        }
        const match = /running at (http:\/\/[^\s]+)/.exec(line)
        if (match?.[1]) {
          clearTimeout(timer)
          resolve({ url: match[1], simulators, logs })
        }
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}:\n${logs.join('')}`))
    })
  })
}

/** Debian's Chromium (never a downloaded browser), headless. */
export async function launchBrowser(t: Test): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  })
  t.teardown(() => browser.close())
  return browser
}

/** Drives a simulator's control API (the simulators run inside the server process). */
export async function simControl(sim: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${sim}/__sim/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (!res.ok) throw new Error(`simulator ${method} ${path}: ${res.status} ${await res.text()}`)
  return res.status === 204 ? null : ((await res.json()) as unknown)
}

/** Auto-waiting is the default; these are generous because the CI machine is small and shared. */
export const WAIT = 30_000

/** A fresh browser context (own cookies and storage) with one page, at desktop width. */
export async function openPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  const page = await context.newPage()
  page.setDefaultTimeout(WAIT)
  page.setDefaultNavigationTimeout(WAIT * 2)
  return { context, page }
}

/** Calls the public API as a user would with a token (seeding through the contract only). */
export async function api<T = unknown>(
  app: RunningApp,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; expect?: number } = {},
): Promise<T> {
  const res = await fetch(`${app.url}/api/v1${path}`, {
    method,
    headers: {
      ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    },
    ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
  })
  const text = await res.text()
  const expected = opts.expect ?? (method === 'POST' ? 201 : 200)
  if (res.status !== expected) {
    throw new Error(`${method} ${path}: expected ${expected}, got ${res.status} ${text}`)
  }
  return (text ? JSON.parse(text) : null) as T
}

export interface Owner {
  email: string
  password: string
  name: string
  token: string
  workspaceId: string
}

/** First-run setup through the public API (the setup journey does it through the UI instead). */
export async function setupOwner(app: RunningApp, name = 'Olivia Owner'): Promise<Owner> {
  const email = 'owner@example.com'
  const password = 'correct horse battery staple'
  const res = await api<{ token: string; workspace: { id: string } }>(app, 'POST', '/setup', {
    body: { email, password, name, workspaceName: 'Acme Hosting' },
  })
  return { email, password, name, token: res.token, workspaceId: res.workspace.id }
}

/** Signs in through the login page and waits for the cloud accounts page. */
export async function signIn(
  page: Page,
  app: RunningApp,
  who: { email: string; password: string },
) {
  await page.goto(`${app.url}/login`)
  await page.getByLabel('Email').fill(who.email)
  await page.getByLabel('Password').fill(who.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(/\/w\/[^/]+\/settings\/connections\/cloud-accounts$/)
  await page.getByRole('heading', { level: 1, name: 'Cloud accounts' }).waitFor()
}

/** Waits until `check` holds (re-reading the page each time); for conditions locators can't express. */
export async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeout = WAIT,
): Promise<void> {
  const deadline = Date.now() + timeout
  for (;;) {
    if (await check()) return
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
