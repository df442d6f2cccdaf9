import t from 'tap'
import type { Page } from 'playwright-core'
import type { ProviderId } from '@cloudlink/shared'
import type { RequestLogEntry } from '../../src/simulators/index.js'
import { clientFor } from '../helpers/broker-clients.js'
import {
  launchBrowser,
  openPage,
  screenshots,
  seriousViolations,
  simControl,
  startApp,
  unexpectedConsoleErrors,
  until,
  watchProblems,
} from './harness.js'

/**
 * Issue #14's "Done when": a new user sets Cloudlink up, connects a DigitalOcean and an AWS
 * sandbox account with the connect panel's demo credentials, creates an `accounts:use` API token
 * in Settings → API tokens and reads it once; the platform (this test process) then drives both
 * providers with their own client libraries through the broker holding nothing but that token.
 * The page never shows a provider secret, the simulators saw only the stored credentials and never
 * the token, the token list shows its last use, and the audit page's Broker calls tab lists the
 * calls.
 */

const app = await startApp(t)
const browser = await launchBrowser(t)
const { page } = await openPage(browser)
const problems = await watchProblems(page)

interface Connected {
  provider: ProviderId
  name: string
  label: string
  id: string
  /** The demo credential the panel filled in, field by field. */
  credentials: Record<string, string>
  /** What the simulator's request log records for it (cases/*: `logged`). */
  logged: string
}

const PROVIDERS: { provider: ProviderId; name: string; label: string; secret: string }[] = [
  { provider: 'digitalocean', name: 'DigitalOcean', label: 'DO production', secret: 'token' },
  { provider: 'aws', name: 'Amazon Web Services', label: 'AWS production', secret: 'accessKeyId' },
]
const connected: Connected[] = []
let workspaceId = ''
let token = ''
let callsStarted = 0

/** All text a user or script could read: visible text, hidden text, attributes, field values. */
const pageText = (page: Page) =>
  page.evaluate(() => {
    const root = document.documentElement.cloneNode(true) as HTMLElement
    // The sandbox banner lists the demo credentials on purpose (only on the cloud accounts page).
    root.querySelector('[data-testid="sandbox-banner"]')?.remove()
    const parts = [document.title, root.outerHTML]
    for (const el of document.querySelectorAll('input, textarea'))
      parts.push((el as HTMLInputElement).value)
    return parts.join('\n')
  })

/** Every stored credential value (at least 8 characters long) found in the page. */
async function secretsShown(page: Page): Promise<string[]> {
  const text = await pageText(page)
  return connected.flatMap((c) =>
    Object.entries(c.credentials)
      .filter(([, value]) => value.length >= 8 && text.includes(value))
      .map(([field]) => `${c.provider}.${field}`),
  )
}

/** axe at phone and desktop width (the page re-lays itself out at 375 px). */
async function axeAt(page: Page): Promise<string[]> {
  const found: string[] = []
  for (const width of [375, 1440]) {
    await page.setViewportSize({ width, height: 900 })
    for (const v of await seriousViolations(page))
      found.push(
        `${width}px ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
      )
  }
  return found
}

await t.test('first run: the new user sets Cloudlink up', async (t) => {
  await page.goto(`${app.url}/`)
  await page.waitForURL(`${app.url}/setup`)
  await page.getByRole('heading', { level: 1, name: 'Set up Cloudlink' }).waitFor()
  await page.getByLabel('Your name').fill('Pat Platform')
  await page.getByLabel('Email', { exact: true }).fill('pat@example.com')
  await page.getByLabel('Password', { exact: true }).fill('a long first-run passphrase')
  await page.getByLabel('Workspace name').fill('Acme Hosting')
  await page.getByRole('button', { name: 'Create owner account' }).click()
  await page.waitForURL(/\/w\/[0-9a-f-]{36}\/settings\/connections\/cloud-accounts$/)
  await page.getByRole('heading', { level: 1, name: 'Cloud accounts' }).waitFor()
  workspaceId = /\/w\/([0-9a-f-]{36})\//.exec(page.url())?.[1] ?? ''
  t.ok(workspaceId, `signed in to workspace ${workspaceId}`)
})

await t.test('connects DigitalOcean and AWS with the demo credentials', async (t) => {
  const grid = page.getByTestId('provider-grid')
  const panel = page.getByTestId('connect-panel')
  const rows = page.getByTestId('account-row')
  for (const [i, { provider, name, label, secret }] of PROVIDERS.entries()) {
    if (i > 0) await page.getByTestId('connect-another').click()
    await grid
      .locator(`li[data-provider="${provider}"]`)
      .getByRole('button', { name, exact: true })
      .click()
    await panel.waitFor()
    t.equal(await panel.getAttribute('data-provider'), provider)
    await panel.getByRole('button', { name: 'Fill in the Valid demo credential' }).click()
    await panel.getByLabel('Label', { exact: true }).fill(label)
    // The demo credential as the panel filled it in: what must never be shown again.
    const credentials: Record<string, string> = {}
    for (const field of await panel.locator('[data-field]').all()) {
      const fieldName = await field.getAttribute('data-field')
      const box = field.locator('input, textarea').first()
      if (!fieldName || !(await box.count())) continue
      const value = await box.inputValue()
      if (value) credentials[fieldName] = value
    }
    t.ok(credentials[secret], `the panel filled in ${provider}'s ${secret}`)
    await panel.getByTestId('connect-submit').click()
    await page.getByTestId('flash').getByText(`${label} is connected.`).waitFor()
    await panel.waitFor({ state: 'detached' })
    const row = rows.filter({ hasText: label })
    t.equal(await row.getAttribute('data-status'), 'connected', `${label} is connected`)
    connected.push({
      provider,
      name,
      label,
      id: (await row.getAttribute('data-account-id')) ?? '',
      credentials,
      logged: credentials[secret] ?? '',
    })
  }
  t.equal(await rows.count(), 2, 'both accounts are listed')
  // Canary: the sandbox banner lists the demo credentials on purpose, so the check below can see them.
  const banner = await page.getByTestId('sandbox-banner').innerHTML()
  t.ok(
    connected.every((c) => banner.includes(c.logged)),
    'the credentials used are the sandbox demo ones',
  )
  t.same(await secretsShown(page), [], 'no stored credential is shown after connecting')
})

const tokenRow = page.getByTestId('token-row').filter({ hasText: 'platform' })

await t.test('Settings → API tokens: creates "platform" with accounts:use', async (t) => {
  await page
    .getByRole('navigation', { name: 'Settings' })
    .getByRole('link', { name: 'API tokens' })
    .click()
  await page.waitForURL(new RegExp(`/w/${workspaceId}/settings/api-tokens$`))
  await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor()
  await page.getByTestId('tokens-empty').waitFor()
  t.same(await axeAt(page), [], 'API tokens (empty): no serious or critical axe violations')
  t.same(await screenshots(page, 'api-tokens-empty'), [], 'no sideways scrolling at 375 or 1440 px')

  const form = page.getByTestId('token-form')
  await form.getByLabel('Name', { exact: true }).fill('platform')
  await form.getByLabel('accounts:use', { exact: true }).check()
  await form.getByRole('button', { name: 'Create token' }).click()

  const created = page.getByTestId('created-token')
  await created.waitFor()
  t.match(await created.getByRole('heading').first().innerText(), /Token "platform" created/)
  token = await created.getByLabel('New API token').inputValue()
  t.match(token, /^clk_\S{20,}$/, 'the token is shown once, in full')
  for (const snippet of ['usage-bearer', 'usage-header']) {
    const text = await created.getByTestId(snippet).innerText()
    t.notOk(text.includes(token), `the ${snippet} example names it clk_… only`)
    t.match(text, new RegExp(`/cloud-accounts/[0-9a-f-]{36}/proxy/`), 'and points at a proxy URL')
  }
  t.same(await axeAt(page), [], 'created token: no serious or critical axe violations')
  t.same(
    await screenshots(page, 'api-token-created'),
    [],
    'no sideways scrolling at 375 or 1440 px',
  )

  await created.getByRole('button', { name: "I've copied it" }).click()
  await created.waitFor({ state: 'detached' })
  await tokenRow.waitFor()
  t.notOk(
    (await pageText(page)).includes(token),
    'once dismissed, the token is nowhere in the page',
  )
  t.match(await tokenRow.innerText(), /accounts:use/)
  t.equal((await tokenRow.getByTestId('token-last-used').innerText()).trim(), 'Never used')
  t.same(await secretsShown(page), [], 'no stored credential on the API tokens page')
})

/** The simulator's request log through its control API. */
const requestsOf = async (provider: ProviderId) =>
  ((await simControl(simOf(provider), 'GET', 'requests')) as { items: RequestLogEntry[] }).items
function simOf(provider: ProviderId): string {
  const sim = app.simulators[provider]
  if (!sim) throw new Error(`no ${provider} simulator in the sandbox log`)
  return sim
}

await t.test(
  'the platform uses both accounts through the broker with only the token',
  async (t) => {
    callsStarted = Date.now()
    for (const account of connected) {
      const sim = simOf(account.provider)
      await simControl(sim, 'DELETE', 'requests')
      const api = clientFor(account.provider, {
        baseUrl: `${app.url}/api/v1/workspaces/${workspaceId}/cloud-accounts/${account.id}/proxy`,
        token,
      })
      t.teardown(() => api.close())

      const before = await api.servers()
      t.ok(Array.isArray(before), `${account.name}: lists its servers (${before.length})`)
      const name = `platform-${account.provider}-1`
      const made = await api.create(name)
      t.ok((await api.list()).includes(name), `${account.name}: created ${name} (${made})`)
      await api.remove(made)
      t.notOk((await api.list()).includes(name), `${account.name}: and removed it`)

      const seen = await requestsOf(account.provider)
      t.ok(
        seen.some((r) => r.method !== 'GET' && r.credential !== null),
        `${account.name}: the writes reached the provider`,
      )
      t.same(
        seen.filter((r) => r.credential !== account.logged).map((r) => `${r.method} ${r.path}`),
        [],
        `${account.name}: every request carried the stored credential`,
      )
      t.notOk(
        JSON.stringify(seen).includes(token),
        `${account.name}: never saw the Cloudlink token`,
      )
    }
  },
)

await t.test('the token list shows its last use after a reload', async (t) => {
  // The first use is written off the request path (api-tokens/usage.ts): reload until it shows.
  const lastUsed = tokenRow.getByTestId('token-last-used').locator('time')
  await until('the last use to be listed', async () => {
    await page.reload()
    await tokenRow.waitFor()
    return (await lastUsed.count()) > 0
  })
  const at = Date.parse((await lastUsed.getAttribute('datetime')) ?? '')
  t.ok(at >= callsStarted - 1000, `last used at the calls (${new Date(at).toISOString()})`)
  t.notMatch(await tokenRow.getByTestId('token-last-used').innerText(), /Never used/)
  t.notOk((await pageText(page)).includes(token), 'the token is not shown again')
  t.same(await secretsShown(page), [], 'no stored credential on the API tokens page')
  t.same(await axeAt(page), [], 'API tokens (listed): no serious or critical axe violations')
  t.same(await screenshots(page, 'api-tokens-used'), [], 'no sideways scrolling at 375 or 1440 px')
})

await t.test('the audit page’s Broker calls tab lists the calls', async (t) => {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Audit log' })
    .click()
  await page.waitForURL(new RegExp(`/w/${workspaceId}/audit$`))
  await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor()
  // The entry itself, not the action filter's option of the same name.
  await page.getByText('Created an API token').filter({ visible: true }).first().waitFor()
  t.same(await secretsShown(page), [], 'no stored credential in the activity log')
  t.notOk((await pageText(page)).includes(token), 'nor the token')
  await page
    .getByRole('navigation', { name: 'Audit sections' })
    .getByRole('link', { name: 'Broker calls' })
    .click()
  await page.waitForURL(new RegExp(`/w/${workspaceId}/audit/broker-calls$`))
  await page.getByRole('heading', { level: 1, name: 'Broker calls' }).waitFor()
  const rows = page.getByTestId('broker-row')
  await rows.first().waitFor()
  const calls = await rows.evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())),
  )
  // Columns: when, token, account (label and provider), method, origin, path, status, latency.
  t.same([...new Set(calls.map((c) => c[1]))], ['platform'], 'every call is the platform token’s')
  for (const account of connected) {
    const mine = calls.filter((c) => c[2]?.startsWith(account.label))
    t.equal(mine.length, 5, `${account.label}: list, create, list, delete, list`)
    t.ok(
      mine.every((c) => c[2]?.includes(account.name)),
      `${account.label}: with its provider's name`,
    )
    t.ok(
      mine.some((c) => c[3] !== 'GET'),
      `${account.label}: the writes are listed`,
    )
    t.ok(
      mine.every((c) => /^2\d\d$/.test(c[6] ?? '')),
      `${account.label}: each answered 2xx`,
    )
  }
  const doCalls = calls.filter((c) => c[2]?.startsWith('DO production'))
  t.ok(
    doCalls.some((c) => c[3] === 'POST' && c[5] === '/v2/droplets'),
    'the droplet create',
  )
  t.ok(
    doCalls.some((c) => c[3] === 'DELETE' && /^\/v2\/droplets\/\d+$/.test(c[5] ?? '')),
    'the droplet delete',
  )
  t.notOk((await pageText(page)).includes(token), 'the token is nowhere in the page')
  t.same(await secretsShown(page), [], 'no stored credential in the broker calls')
  t.same(await seriousViolations(page), [], 'broker calls: no serious or critical axe violations')
})

await t.test('no console errors, page errors or CSP violations', (t) => {
  t.same(problems.cspViolations, [], 'no CSP violations')
  t.same(problems.pageErrors, [], 'no uncaught errors')
  t.same(unexpectedConsoleErrors(problems), [], 'no console errors')
  t.same(problems.failedResponses, [], 'no failed requests')
  t.end()
})
