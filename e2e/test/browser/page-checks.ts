import { mkdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'

export const artifacts = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../..',
  'artifacts',
  'screenshots',
)

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
