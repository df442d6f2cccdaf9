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
 * DigitalOcean connects with a personal access token or in one click (OAuth). In sandbox mode an
 * owner finds both ways on its provider card, connects one account each way (the one-click way
 * through the simulator's consent and back), sees a denied consent explained in the app's own
 * words, and a crafted failure link shows none of its text.
 */

interface Account {
  id: string
  label: string
  hint: string
  status: string
}

const app = await startApp(t)
const owner = await setupOwner(app)
const sim = app.simulators.digitalocean
if (!sim) throw new Error('no DigitalOcean simulator in the sandbox log')
const { token } = (await simControl(sim, 'POST', 'credentials', {})) as { token: string }
const accountsPath = `/workspaces/${owner.workspaceId}/cloud-accounts`
const listAccounts = async () =>
  (await api<{ items: Account[] }>(app, 'GET', accountsPath, { token: owner.token })).items

/** The simulator's consent screen: approve (default) or deny the next authorization. */
async function consent(body: Record<string, unknown>) {
  const res = await fetch(`${sim}/__sim-oauth/consent`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (res.status !== 204) throw new Error(`consent: ${res.status} ${await res.text()}`)
}

const browser = await launchBrowser(t)
const { page } = await openPage(browser)
const problems = await watchProblems(page)
await signIn(page, app, owner)

const grid = page.getByTestId('provider-grid')
const card = grid.locator('li[data-provider="digitalocean"]')
const panel = page.getByTestId('connect-panel')
const rows = page.getByTestId('account-row')
const cloudAccountsUrl = new RegExp(`/w/${owner.workspaceId}/settings/connections/cloud-accounts$`)

await t.test('the DigitalOcean card offers both ways', async (t) => {
  await card.waitFor()
  t.equal(
    await grid.locator('[data-group="credential"] li[data-provider="digitalocean"]').count(),
    1,
    'under API credentials',
  )
  const oneClick = card.getByTestId('oauth-choice')
  t.equal((await oneClick.innerText()).trim(), 'One click', 'with a One click choice')
  t.match(
    await grid.locator('[data-group="oauth"]').getByTestId('oauth-also').innerText(),
    /DigitalOcean can connect in one click too/,
    'and the one-click group points to it',
  )
  t.same(await seriousViolations(page), [], 'provider grid: no serious or critical axe violations')
  t.same(await screenshots(page, 'provider-grid'), [], 'no sideways scrolling at 375 or 1440 px')
})

await t.test('with a personal access token', async (t) => {
  await card.getByRole('button', { name: 'DigitalOcean', exact: true }).click()
  await panel.waitFor()
  t.equal(await panel.getAttribute('data-method'), 'credential')
  await panel.getByLabel('Label', { exact: true }).fill('DO token')
  await panel.locator('[data-field="token"]').getByRole('textbox').fill(token)
  await panel.getByTestId('connect-submit').click()
  await page.getByTestId('flash').getByText('DO token is connected.').waitFor()
  await panel.waitFor({ state: 'detached' })
  const row = rows.filter({ hasText: 'DO token' })
  t.equal((await row.getByTestId('hint').innerText()).trim(), `dop_v1_••••${token.slice(-4)}`)
})

await t.test('in one click: consent at DigitalOcean, back connected', async (t) => {
  await page.getByTestId('connect-another').click()
  await card.getByTestId('oauth-choice').click()
  await panel.waitFor()
  t.equal(await panel.getAttribute('data-method'), 'oauth')
  t.equal(
    await panel.getByRole('radio', { name: /One click/ }).isChecked(),
    true,
    'the panel shows the one-click way chosen',
  )
  t.same(
    await seriousViolations(page),
    [],
    'one-click panel: no serious or critical axe violations',
  )
  t.same(await screenshots(page, 'connect-oauth'), [], 'no sideways scrolling at 375 or 1440 px')

  await panel.getByLabel('Label', { exact: true }).fill('DO one click')
  await panel.getByRole('link', { name: 'Continue to DigitalOcean' }).click()
  await page.waitForURL(cloudAccountsUrl)
  // The message names the account that came back from the provider.
  await page.getByTestId('flash').getByText('DO one click is connected.').waitFor()
  const row = rows.filter({ hasText: 'DO one click' })
  await row.waitFor()
  t.match((await row.getByTestId('hint').innerText()).trim(), /^OAuth ••••/, 'an OAuth grant')
  t.equal(await row.getAttribute('data-status'), 'connected')
  t.equal(await rows.count(), 2, 'both accounts are listed')
  const stored = await listAccounts()
  t.same(stored.map((a) => a.label).sort(), ['DO one click', 'DO token'], 'and stored')
})

await t.test('a denied consent is explained in the app’s own words', async (t) => {
  await consent({ deny: 'access_denied', times: 1 })
  await page.getByTestId('connect-another').click()
  await card.getByTestId('oauth-choice').click()
  await panel.getByLabel('Label', { exact: true }).fill('DO denied')
  await panel.getByRole('link', { name: 'Continue to DigitalOcean' }).click()
  await page.waitForURL(cloudAccountsUrl)
  const alert = page.getByTestId('oauth-error')
  await alert.waitFor()
  t.equal(await alert.getAttribute('role'), 'alert')
  // The provider's name comes with the provider list, which may arrive just after the alert.
  await alert.getByText("DigitalOcean didn't finish connecting the account.").waitFor()
  t.match(await alert.innerText(), /Access was declined at the provider/)
  t.equal((await listAccounts()).length, 2, 'nothing was added')
})

await t.test('a crafted failure link shows none of its own text', async (t) => {
  const bait = 'Your account is locked, call +1 555 0100'
  await page.goto(
    `${app.url}/settings/connections/cloud-accounts?oauthError=access_denied&provider=digitalocean&message=${encodeURIComponent(bait)}`,
  )
  await page.waitForURL(cloudAccountsUrl)
  const alert = page.getByTestId('oauth-error')
  await alert.waitFor()
  t.match(await alert.innerText(), /Access was declined at the provider/)
  t.notOk((await page.content()).includes('555 0100'), 'the sentence from the link is nowhere')

  await page.goto(
    `${app.url}/settings/connections/cloud-accounts?oauthError=${encodeURIComponent(bait)}`,
  )
  await page.waitForURL(cloudAccountsUrl)
  await alert.waitFor()
  t.equal(
    (await alert.innerText()).trim(),
    "The provider didn't finish connecting the account.",
    'an unknown code gets the generic sentence',
  )
  t.notOk((await page.content()).includes('555 0100'))
})

await t.test('works under the strict CSP: no console errors, page errors or violations', (t) => {
  t.same(problems.cspViolations, [], 'no CSP violations')
  t.same(problems.pageErrors, [], 'no uncaught errors')
  t.same(unexpectedConsoleErrors(problems), [], 'no console errors')
  t.same(problems.failedResponses, ['GET /api/v1/me 401'], 'only the login page’s session probe')
  t.end()
})
