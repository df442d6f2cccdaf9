import t from 'tap'
import {
  api,
  launchBrowser,
  openPage,
  screenshots,
  seriousViolations,
  setupOwner,
  signIn,
  simControl,
  startApp,
  unexpectedConsoleErrors,
  watchProblems,
} from './harness.js'

/**
 * A hosting team with thirty accounts on a bad morning: the one that needs attention is first and
 * counted in the header, the list is searched, filtered, sorted and grouped (and the address keeps
 * it, so a teammate opens the same view), and a recheck while a provider answers 503 says that it
 * could not reach the provider, why, and when the account last worked, while it stays Connected.
 */

interface Account {
  id: string
  label: string
  provider: string
  status: string
}

const app = await startApp(t)
const owner = await setupOwner(app)
const accountsPath = `/workspaces/${owner.workspaceId}/cloud-accounts`

// Thirty accounts on four providers, each with a credential its simulator issued for it.
const plan: [provider: string, name: string, count: number][] = [
  ['digitalocean', 'DO', 8],
  ['hetzner-cloud', 'Hetzner', 8],
  ['vultr', 'Vultr', 7],
  ['linode', 'Linode', 7],
]
const credentials = new Map<string, Record<string, string>>()
for (const [provider, name, count] of plan) {
  const sim = app.simulators[provider]
  if (!sim) throw new Error(`no ${provider} simulator`)
  for (let i = 1; i <= count; i++) {
    const credential = (await simControl(sim, 'POST', 'credentials', {})) as Record<string, string>
    const account = await api<Account>(app, 'POST', accountsPath, {
      token: owner.token,
      body: { provider, label: `${name} ${String(i).padStart(2, '0')}`, credentials: credential },
    })
    credentials.set(account.id, credential)
  }
}
const all = await api<{ items: Account[] }>(app, 'GET', accountsPath, { token: owner.token })
if (all.items.length !== 30) throw new Error(`seeded ${all.items.length} accounts, not 30`)

// One credential revoked at the provider, and found out by a recheck: it needs attention.
const broken = all.items.find((a) => a.label === 'Linode 05')!
await simControl(app.simulators.linode!, 'POST', 'revoke', {
  credentials: credentials.get(broken.id),
})
await api(app, 'POST', `${accountsPath}/${broken.id}/recheck`, { token: owner.token, expect: 200 })

const browser = await launchBrowser(t)
const { page } = await openPage(browser)
const problems = await watchProblems(page)
await signIn(page, app, owner)
const labels = async () =>
  (await page.getByTestId('account-label').allTextContents()).map((x) => x.trim())

await t.test('the account that needs attention is first, and counted in the header', async (t) => {
  await page.getByTestId('account-row').nth(29).waitFor()
  t.equal((await labels())[0], 'Linode 05', 'the broken account comes first')
  t.match(
    await page.getByTestId('attention-count').innerText(),
    /1 account needs attention/,
    'the header counts it',
  )
  t.same(
    await seriousViolations(page),
    [],
    'thirty accounts: no serious or critical axe violations',
  )
  t.same(await screenshots(page, 'accounts-30'), [], 'no sideways scrolling at 375 or 1440 px')
  await page.setViewportSize({ width: 375, height: 900 })
  t.same(await seriousViolations(page), [], 'at 375 px too')
  await page.setViewportSize({ width: 1440, height: 900 })
})

await t.test('searched, filtered, sorted, grouped, and shared by its address', async (t) => {
  await page.getByTestId('filter-provider').selectOption('vultr')
  await page.getByTestId('filter-count').getByText('Showing 7 of 30 accounts').waitFor()
  await page.getByTestId('filter-sort').selectOption('name')
  t.same(
    await labels(),
    ['Vultr 01', 'Vultr 02', 'Vultr 03', 'Vultr 04', 'Vultr 05', 'Vultr 06', 'Vultr 07'],
    'only Vultr, by name',
  )
  await page.getByLabel('Search by label').fill('0')
  await page.getByLabel('Search by label').fill('05')
  await page.getByTestId('filter-count').getByText('Showing 1 of 30 accounts').waitFor()
  t.same(await labels(), ['Vultr 05'])
  const shared = page.url()
  t.match(shared, /[?&]provider=vultr/)
  t.match(shared, /[?&]q=05/)

  // A teammate opens the link: the same view.
  const teammate = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  const other = await teammate.newPage()
  await signIn(other, app, owner)
  await other.goto(shared)
  await other.getByTestId('filter-count').getByText('Showing 1 of 30 accounts').waitFor()
  t.same(await other.getByTestId('account-label').allInnerTexts(), ['Vultr 05'], 'same view')
  await teammate.close()

  await page.getByTestId('filter-count').getByRole('button', { name: 'Clear filters' }).click()
  await page.getByTestId('account-row').nth(29).waitFor()
  await page.getByTestId('filter-group').check()
  await page.getByTestId('account-group').nth(3).waitFor()
  t.same(
    await page.getByTestId('account-group').allInnerTexts(),
    ['DigitalOcean (8)', 'Hetzner Cloud (8)', 'Linode (7)', 'Vultr (7)'],
    'grouped by provider',
  )
  t.equal(
    await page.getByRole('heading', { level: 4, name: 'Vultr 01' }).count(),
    1,
    'account headings sit under their provider heading',
  )
  // Text content: cards far off screen are not laid out (content-visibility), so innerText is empty.
  const defaults = (await page.getByTestId('default-marker').allTextContents()).map((x) => x.trim())
  t.same(
    defaults.sort(),
    [
      'Default for DigitalOcean',
      'Default for Hetzner Cloud',
      'Default for Linode',
      'Default for Vultr',
    ],
    'one default per provider, named as such',
  )
  await page.getByTestId('filter-group').uncheck()

  await page.getByTestId('filter-status').selectOption('attention')
  await page.getByTestId('filter-count').getByText('Showing 1 of 30 accounts').waitFor()
  t.same(await labels(), ['Linode 05'], '"anything needing attention"')
  await page.getByTestId('filter-count').getByRole('button', { name: 'Clear filters' }).click()
})

await t.test('an unreachable recheck is said honestly, at its card', async (t) => {
  const vultr = app.simulators.vultr!
  await simControl(vultr, 'PUT', 'fault', { fault: { kind: 'status', status: 503 } })
  t.teardown(() => simControl(vultr, 'PUT', 'fault', { fault: null }))
  const card = page.getByTestId('account-row').filter({ hasText: 'Vultr 03' })
  await card.getByRole('button', { name: 'Recheck' }).click()

  const notice = card.getByTestId('row-notice')
  await notice.waitFor()
  const said = await notice.innerText()
  t.match(said, /Vultr 03 couldn't be checked: couldn't reach Vultr/, 'says it could not check')
  t.match(said, /HTTP 503/, 'says why')
  t.match(
    said,
    /It stays connected; last confirmed working (just now|\d+ min ago)/,
    'and since when',
  )
  t.notMatch(said, /checked: Connected/)
  t.equal(await card.getByTestId('status-badge').innerText(), 'Connected', 'the status stays')
  t.equal(await card.getByTestId('unconfirmed').innerText(), 'Not confirmed on the last check')
  t.match(
    await card.getByTestId('unreachable-check').innerText(),
    /Couldn't reach Vultr on the last check/,
  )
  t.match(await card.getByTestId('last-check-outcome').innerText(), /couldn't reach Vultr/)
  t.match(
    await page.getByTestId('attention-count').innerText(),
    /2 accounts need attention/,
    'the header counts it too',
  )
  t.same(await seriousViolations(page), [], 'no serious or critical axe violations')

  // The warning stays until dismissed (it is not a success note that the next action clears).
  await page
    .getByTestId('account-row')
    .filter({ hasText: 'DO 01' })
    .getByRole('button', { name: 'Recheck' })
    .click()
  await page
    .getByTestId('account-row')
    .filter({ hasText: 'DO 01' })
    .getByTestId('row-notice')
    .waitFor()
  t.equal(await notice.count(), 1, 'still there after another card was rechecked')
  await notice.getByRole('button', { name: /Dismiss/ }).click()
  await notice.waitFor({ state: 'detached' })
})

await t.test('no console errors, page errors or CSP violations', async (t) => {
  t.same(problems.cspViolations, [], 'no CSP violations')
  t.same(problems.pageErrors, [], 'no uncaught errors')
  t.same(unexpectedConsoleErrors(problems), [], 'no console errors besides expected API refusals')
})
