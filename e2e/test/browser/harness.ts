import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import pg from 'pg'

export type Test = { teardown(fn: () => unknown): void; comment(...args: unknown[]): void }

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..')
export const artifacts = join(root, 'artifacts', 'screenshots')

export interface RunningApp {
  url: string
  /** Simulator origins by provider id, read from the server's sandbox log line. */
  simulators: Record<string, string>
  logs: string[]
}

/** A fresh database: its own database on TEST_DATABASE_URL's server, else embedded PGlite. */
export async function databaseEnv(t: Test): Promise<Record<string, string>> {
  const server = process.env.TEST_DATABASE_URL
  const dir = await mkdtemp(join(tmpdir(), 'cloudlink-e2e-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  if (!server) return { DATA_DIR: dir }
  const name = `cloudlink_e2e_${randomUUID().replace(/-/g, '')}`
  const admin = new pg.Client({ connectionString: server })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  t.teardown(async () => {
    const c = new pg.Client({ connectionString: server })
    await c.connect()
    await c.query(`drop database if exists ${name} with (force)`)
    await c.end()
  })
  const url = new URL(server)
  url.pathname = `/${name}`
  return {
    DATA_DIR: dir,
    DATABASE_URL: url.toString(),
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

const require = createRequire(import.meta.url)
let axeSource: Promise<string> | undefined

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[] }[]
}

/**
 * Runs axe-core in the page. It is evaluated through the DevTools protocol, which the page's strict
 * CSP does not govern, so the page under test keeps its real policy.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= import('node:fs/promises').then((fs) =>
    fs.readFile(require.resolve('axe-core/axe.min.js'), 'utf8'),
  )
  await page.evaluate(await axeSource)
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }
    ).axe
    return (await axe.run()).violations
  })
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

/**
 * Screenshots of the page at phone and desktop widths, kept as CI artifacts. Returns the widths
 * at which the page scrolls sideways (e.g. `["375px: 446px wide"]`), so callers can assert `[]`.
 */
export async function screenshots(page: Page, name: string): Promise<string[]> {
  await mkdir(artifacts, { recursive: true })
  const overflow: string[] = []
  for (const width of [375, 1440]) {
    await page.setViewportSize({ width, height: 900 })
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth)
    if (scrollWidth > width) overflow.push(`${width}px: ${scrollWidth}px wide`)
    await page.screenshot({ path: join(artifacts, `${name}-${width}.png`), fullPage: true })
  }
  await page.setViewportSize({ width: 1440, height: 900 })
  return overflow
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

export interface PageProblems {
  console: string[]
  pageErrors: string[]
  cspViolations: string[]
  /** API answers >= 400 ("METHOD /path STATUS"); the browser logs each as a console error. */
  failedResponses: string[]
}

/**
 * Collects everything that signals a broken page under the server's strict CSP: console errors,
 * uncaught exceptions and `securitypolicyviolation` events (reported through a CDP binding, which
 * the page's CSP does not govern). Call before the first navigation.
 */
export async function watchProblems(page: Page): Promise<PageProblems> {
  const problems: PageProblems = {
    console: [],
    pageErrors: [],
    cspViolations: [],
    failedResponses: [],
  }
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    const url = msg.location().url
    problems.console.push(`${msg.text()}${url ? ` (${url})` : ''}`)
  })
  page.on('pageerror', (err) => problems.pageErrors.push(String(err.stack ?? err)))
  page.on('response', (res) => {
    if (res.status() < 400) return
    const url = new URL(res.url())
    problems.failedResponses.push(`${res.request().method()} ${url.pathname} ${res.status()}`)
  })
  await page.exposeFunction('__cloudlinkCspViolation', (text: string) => {
    problems.cspViolations.push(text)
  })
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (globalThis as unknown as { __cloudlinkCspViolation(text: string): void })
        .__cloudlinkCspViolation
      report(
        `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`,
      )
    })
  })
  return problems
}

/**
 * The console errors that are not just Chromium logging an expected API error answer
 * ("Failed to load resource: … status of 422" for a rejected credential is the journey, not a bug).
 */
export function unexpectedConsoleErrors(problems: PageProblems): string[] {
  return problems.console.filter(
    (line) =>
      !/^Failed to load resource: the server responded with a status of \d+ .*\(http:\/\/[^)]+\/api\/v1\//.test(
        line,
      ),
  )
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
