import t from 'tap'
import {
  launchBrowser,
  openPage,
  screenshots,
  seriousViolations,
  startApp,
  unexpectedConsoleErrors,
  watchProblems,
} from './harness.js'

/**
 * First run: a brand-new server's first visitor is led to setup, creates the owner and the
 * workspace, and lands signed in on the empty cloud accounts page with the provider grid.
 */

const app = await startApp(t)
const browser = await launchBrowser(t)
const { page } = await openPage(browser)
const problems = await watchProblems(page)
const owner = {
  name: 'Sam Setup',
  email: 'sam@example.com',
  password: 'a long first-run passphrase',
}

await t.test('the first visit to / shows setup', async (t) => {
  await page.goto(`${app.url}/`)
  await page.waitForURL(`${app.url}/setup`)
  await page.getByRole('heading', { level: 1, name: 'Set up Cloudlink' }).waitFor()
  t.equal(await page.title(), 'Set up Cloudlink · Cloudlink', 'the page title names the page')
  t.same(await seriousViolations(page), [], 'setup: no serious or critical axe violations')
  t.same(await screenshots(page, 'setup'), [], 'no sideways scrolling at 375 or 1440 px')
})

await t.test('setup signs the owner in on the empty cloud accounts page', async (t) => {
  await page.getByLabel('Your name').fill(owner.name)
  await page.getByLabel('Email', { exact: true }).fill(owner.email)
  await page.getByLabel('Password', { exact: true }).fill(owner.password)
  await page.getByLabel('Workspace name').fill('Acme Hosting')
  await page.getByRole('button', { name: 'Create owner account' }).click()

  await page.waitForURL(/\/w\/[0-9a-f-]{36}\/settings\/connections\/cloud-accounts$/)
  await page.getByRole('heading', { level: 1, name: 'Cloud accounts' }).waitFor()
  t.equal(await page.getByRole('banner').getByText(owner.name).textContent(), owner.name)
  t.match(
    await page.getByTestId('workspace-switcher').locator('option:checked').textContent(),
    /Acme Hosting \(Owner\)/,
    'the new workspace is selected, with the owner role',
  )
  t.equal(await page.getByTestId('sign-out').isVisible(), true)

  // Empty state: the provider picker with its hint, no list yet.
  const picker = page.getByTestId('picker')
  await picker
    .getByText('No cloud accounts yet. Pick your provider to connect the first one.')
    .waitFor()
  t.equal(await page.getByTestId('account-list').count(), 0, 'no account list yet')

  // Every provider the server offers is a tile (names from the API the page itself uses).
  const res = await page.request.get(`${app.url}/api/v1/providers`)
  t.equal(res.status(), 200, 'the session cookie set by setup authenticates API calls')
  const providers = ((await res.json()) as { items: { id: string; name: string }[] }).items
  t.ok(providers.length >= 10, `the server offers ${providers.length} providers`)
  const grid = page.getByTestId('provider-grid')
  for (const provider of providers) {
    const tile = grid.locator(`[data-provider="${provider.id}"]`)
    // The tile's own button comes first (DigitalOcean's card also offers "One click").
    t.equal(
      (await tile.getByRole('button').first().textContent())?.trim(),
      provider.name,
      `${provider.name} has a tile`,
    )
  }

  // Sandbox mode says so, and offers the demo credentials.
  const banner = page.getByTestId('sandbox-banner')
  await banner.getByRole('heading', { name: 'Sandbox mode: providers are simulated' }).waitFor()
  await banner.getByText('Show the demo credentials').click()
  await banner.getByRole('cell', { name: 'DigitalOcean' }).first().waitFor()
  // Open, the toggle says what it does now.
  await banner.getByText('Hide the demo credentials').click()
  await banner.getByText('Show the demo credentials').waitFor()

  t.same(
    await seriousViolations(page),
    [],
    'empty cloud accounts: no serious or critical axe violations',
  )
  t.same(
    await screenshots(page, 'cloud-accounts-empty'),
    [],
    'no sideways scrolling at 375 or 1440 px',
  )
})

await t.test('setup is gone once done, and the session survives a reload', async (t) => {
  const setup = await page.request.get(`${app.url}/api/v1/setup`)
  t.same(await setup.json(), { needed: false })
  await page.goto(`${app.url}/setup`)
  await page.waitForURL(/\/settings\/connections\/cloud-accounts$/)
  await page.getByRole('heading', { level: 1, name: 'Cloud accounts' }).waitFor()
  await page.reload()
  await page.getByTestId('provider-grid').waitFor()
  t.pass('still signed in after a reload')
})

await t.test('no console errors, page errors or CSP violations', async (t) => {
  t.same(problems.cspViolations, [], 'no CSP violations')
  t.same(problems.pageErrors, [], 'no uncaught errors')
  t.same(unexpectedConsoleErrors(problems), [], 'no console errors')
  t.same(problems.failedResponses, [], 'no failed requests')
})
