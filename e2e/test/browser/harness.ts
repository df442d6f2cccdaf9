import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import pg from 'pg'

type Test = { teardown(fn: () => unknown): void; comment(...args: unknown[]): void }

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..')
export const artifacts = join(root, 'artifacts', 'screenshots')

export interface RunningApp {
  url: string
  /** Simulator origins by provider id, read from the server's sandbox log line. */
  simulators: Record<string, string>
  logs: string[]
}

/** A fresh database: its own database on TEST_DATABASE_URL's server, else embedded PGlite. */
async function databaseEnv(t: Test): Promise<Record<string, string>> {
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

/** The real, built server (server/dist + web/dist) in sandbox mode, as a user would start it. */
export async function startApp(t: Test): Promise<RunningApp> {
  const env = await databaseEnv(t)
  const child: ChildProcess = spawn(process.execPath, [join(root, 'server/dist/server.js')], {
    env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1', SANDBOX: '1', LOG_LEVEL: 'info' },
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
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${logs.join('')}`)), 90_000)
    const onData = (chunk: Buffer) => {
      const text = chunk.toString()
      logs.push(text)
      for (const line of text.split('\n')) {
        if (line.includes('simulatorUrls')) {
          try {
            simulators = (JSON.parse(line) as { simulatorUrls: Record<string, string> }).simulatorUrls
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
  axeSource ??= import('node:fs/promises').then((fs) => fs.readFile(require.resolve('axe-core/axe.min.js'), 'utf8'))
  await page.evaluate(await axeSource)
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe
    return (await axe.run()).violations
  })
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

/** Screenshots of the page at phone and desktop widths, kept as CI artifacts. */
export async function screenshots(page: Page, name: string): Promise<void> {
  await mkdir(artifacts, { recursive: true })
  for (const width of [375, 1440]) {
    await page.setViewportSize({ width, height: 900 })
    await page.screenshot({ path: join(artifacts, `${name}-${width}.png`), fullPage: true })
  }
  await page.setViewportSize({ width: 1440, height: 900 })
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
