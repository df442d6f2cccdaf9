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
  until,
  watchProblems,
} from './harness.js'

/**
 * An owner connects a DigitalOcean account through the guided panel, sees a bad credential
 * refused without losing what they typed, fails to replace the working credential with a revoked
 * one (and is told the old one stays), then removes the account — all under the server's strict
 * CSP, with no console errors.
 */

interface Account {
  id: string
  label: string
  hint: string
  status: string
  serverCount: number
}

const app = await startApp(t)
const owner = await setupOwner(app)
const sim = app.simulators.digitalocean
if (!sim) throw new Error('no DigitalOcean simulator in the sandbox log')

// A credential the simulator issues now: it appears nowhere in the page (unlike the demo ones,
// which the sandbox banner lists on purpose), so "never shown" can be checked on the whole page.
const { token } = (await simControl(sim, 'POST', 'credentials', {})) as { token: string }
const { demoCredentials } = await api<{
  demoCredentials: { provider: string; kind: string; credentials: Record<string, string> }[]
}>(app, 'GET', '/providers', { token: owner.token })
const revokedToken = demoCredentials.find(
  (d) => d.provider === 'digitalocean' && d.kind === 'revoked',
)?.credentials.token
if (!revokedToken) throw new Error('no revoked DigitalOcean demo credential')
const accountsPath = `/workspaces/${owner.workspaceId}/cloud-accounts`
const listAccounts = async () =>
  (await api<{ items: Account[] }>(app, 'GET', accountsPath, { token: owner.token })).items

const browser = await launchBrowser(t)
const { page } = await openPage(browser)
const problems = await watchProblems(page)
await signIn(page, app, owner)

const rows = page.getByTestId('account-row')
let accountId = ''
const panel = page.getByTestId('connect-panel')

/** All text a user or script could read: visible text, hidden text, attributes, field values. */
const pageText = () =>
  page.evaluate(() => {
    const parts = [document.title, document.documentElement.outerHTML]
    for (const el of document.querySelectorAll('input, textarea'))
      parts.push((el as HTMLInputElement).value)
    return parts.join('\n')
  })

await t.test('the guided panel for DigitalOcean', async (t) => {
  await page.getByTestId('provider-grid').getByRole('button', { name: 'DigitalOcean' }).click()
  await panel.waitFor()
  t.equal(await panel.getAttribute('data-provider'), 'digitalocean')
  await panel.getByRole('heading', { name: 'Connect DigitalOcean' }).waitFor()
  t.ok(
    await page.evaluate(() =>
      document.activeElement?.textContent?.includes('Connect DigitalOcean'),
    ),
    'focus moves to the panel heading',
  )
  t.equal(
    await panel.getByRole('link', { name: /Open the DigitalOcean console/ }).getAttribute('target'),
    '_blank',
  )
  t.ok((await panel.getByTestId('permissions').locator('li').count()) > 0, 'lists the permissions')
  await panel.getByTestId('demo-credentials').waitFor()
  t.same(await seriousViolations(page), [], 'connect panel: no serious or critical axe violations')
  t.same(await screenshots(page, 'connect-panel'), [], 'no sideways scrolling at 375 or 1440 px')
})

await t.test('a good credential: connected, masked, with its servers', async (t) => {
  await panel.getByLabel('Label', { exact: true }).fill('Production')
  const tokenField = panel.locator('[data-field="token"]').getByRole('textbox')
  t.equal(await tokenField.getAttribute('type'), 'password', 'the token is masked while typed')
  await tokenField.fill(token)
  await panel.getByText('Format looks right.').waitFor()
  await panel.getByTestId('connect-submit').click()

  await page.getByTestId('flash').getByText('Production is connected.').waitFor()
  await panel.waitFor({ state: 'detached' })
  const row = rows.filter({ hasText: 'Production' })
  await row.waitFor()
  t.equal(await rows.count(), 1, 'one row')
  t.equal(await row.getAttribute('data-status'), 'connected')
  t.equal(await row.getByTestId('status-badge').innerText(), 'Connected')

  const hint = (await row.getByTestId('hint').innerText()).trim()
  t.equal(hint, `dop_v1_••••${token.slice(-4)}`, 'the hint shows the public prefix and last 4')
  t.notOk((await pageText()).includes(token), 'the full token is nowhere in the page')
  t.notOk((await pageText()).includes(token.slice(7, 40)), 'nor any long part of it')

  const [account] = await listAccounts()
  accountId = account?.id ?? ''
  t.equal(account?.serverCount, 2)
  t.equal(await row.getAttribute('data-account-id'), account?.id)
  const toggle = row.getByTestId('servers-toggle')
  t.equal((await toggle.innerText()).trim(), '2 servers')
  t.equal(await toggle.getAttribute('aria-expanded'), 'false')
  await toggle.click()
  t.equal(await toggle.getAttribute('aria-expanded'), 'true')
  const serverRows = row.getByTestId('server-list').locator('tbody tr')
  await serverRows.nth(1).waitFor()
  t.equal(await serverRows.count(), 2, 'the expanded list shows both servers')
  const servers = await api<{ items: { name: string; ipv4: string | null }[] }>(
    app,
    'GET',
    `${accountsPath}/${account?.id}/servers`,
    { token: owner.token },
  )
  for (const server of servers.items) {
    await serverRows.filter({ hasText: server.name }).waitFor()
    if (server.ipv4) await serverRows.filter({ hasText: server.ipv4 }).waitFor()
  }
  t.pass('server names and addresses match the API')

  t.same(await seriousViolations(page), [], 'account list: no serious or critical axe violations')
  t.same(
    await screenshots(page, 'cloud-accounts-list'),
    [],
    'no sideways scrolling at 375 or 1440 px',
  )
})

await t.test(
  'a revoked credential: the reason inline, the label kept, nothing added',
  async (t) => {
    await page.getByTestId('connect-another').click()
    await page.getByTestId('provider-grid').getByRole('button', { name: 'DigitalOcean' }).click()
    await panel.waitFor()
    await panel.getByLabel('Label', { exact: true }).fill('Staging')
    await panel.locator('[data-field="token"]').getByRole('textbox').fill(revokedToken)
    await panel.getByTestId('connect-submit').click()

    const alert = panel.getByTestId('provider-rejected')
    await alert.waitFor()
    t.match(await alert.innerText(), /DigitalOcean rejected this credential/)
    const reason = (await alert.getByTestId('rejection-reason').innerText()).trim()
    t.ok(reason.length > 0, `the provider's reason is shown: "${reason}"`)
    t.match(await alert.innerText(), /Nothing was saved/)
    t.equal(await alert.getAttribute('role'), 'alert', 'announced to screen readers')
    t.equal(await panel.getByLabel('Label', { exact: true }).inputValue(), 'Staging', 'label kept')
    t.equal(await rows.count(), 1, 'nothing added to the list')
    t.equal((await listAccounts()).length, 1, 'nothing stored')
    t.same(
      await screenshots(page, 'connect-rejected'),
      [],
      'no sideways scrolling at 375 or 1440 px',
    )

    await panel.getByRole('button', { name: 'Cancel' }).click()
    await panel.waitFor({ state: 'detached' })
  },
)

await t.test('reconnect with a bad credential keeps the working one', async (t) => {
  const row = rows.filter({ hasText: 'Production' })
  const hintBefore = await row.getByTestId('hint').innerText()
  await row.getByRole('button', { name: 'Reconnect' }).click()
  await panel.getByRole('heading', { name: 'Reconnect Production' }).waitFor()
  t.match(
    await panel.getByTestId('reconnect-note').innerText(),
    /current credential stays in place until the new one is verified/,
  )
  await panel.getByRole('button', { name: 'Fill in the Revoked demo credential' }).click()
  await panel.getByTestId('connect-submit').click()

  const alert = panel.getByTestId('provider-rejected')
  await alert.waitFor()
  t.match(await alert.innerText(), /The current credential is still in place\./)
  t.equal(await row.getAttribute('data-status'), 'connected', 'the row stays Connected')
  t.equal(await row.getByTestId('status-badge').innerText(), 'Connected')
  t.equal(await row.getByTestId('hint').innerText(), hintBefore, 'the hint is unchanged')
  const [account] = await listAccounts()
  t.equal(account?.status, 'connected', 'the server kept the account connected')
  t.equal(account?.hint, hintBefore.trim())

  await panel.getByRole('button', { name: 'Cancel' }).click()
  await panel.waitFor({ state: 'detached' })
})

await t.test('remove: the dialog lists the servers and says they keep running', async (t) => {
  const row = rows.filter({ hasText: 'Production' })
  await row.getByRole('button', { name: 'Remove' }).click()
  const dialog = page.getByRole('dialog', { name: 'Remove Production?' })
  await dialog.waitFor()
  const listed = dialog.getByTestId('remove-servers').locator('li')
  await listed.nth(1).waitFor()
  t.equal(await listed.count(), 2, 'both servers are listed')
  t.match(await dialog.innerText(), /These 2 servers were created with this account/)
  t.match(
    await dialog.getByTestId('keep-running').innerText(),
    /Running servers keep running/,
    'says running servers keep running',
  )
  t.ok(
    await page.evaluate(() => document.activeElement?.textContent?.trim() === 'Cancel'),
    'focus starts on Cancel',
  )
  t.same(await seriousViolations(page), [], 'remove dialog: no serious or critical axe violations')
  t.same(await screenshots(page, 'remove-dialog'), [], 'no sideways scrolling at 375 or 1440 px')

  await dialog.getByTestId('confirm-remove').click()
  await dialog.waitFor({ state: 'detached' })
  await row.waitFor({ state: 'detached' })
  await page.getByTestId('flash').getByText('Production was removed.').waitFor()
  t.equal(await rows.count(), 0, 'the row is gone')
  await page.getByTestId('picker').waitFor()
  t.same(await listAccounts(), [], 'the server has no account left')
})

await t.test(
  'works under the strict CSP: no console errors, page errors or violations',
  async (t) => {
    t.same(problems.cspViolations, [], 'no CSP violations')
    t.same(problems.pageErrors, [], 'no uncaught errors')
    t.same(unexpectedConsoleErrors(problems), [], 'no console errors besides expected API refusals')
    t.same(
      problems.failedResponses,
      [
        'GET /api/v1/me 401', // the login page asking whether a session exists
        `POST /api/v1${accountsPath} 422`,
        `PUT /api/v1${accountsPath}/${accountId}/credentials 422`,
      ],
      'the only failed requests are the session probe and the two refused credentials',
    )
    t.equal(
      problems.console.length,
      problems.failedResponses.length,
      'the console listener saw Chromium log each failed request (so it is listening)',
    )

    // Canary: an inline <style> must be refused by the policy, and the watcher must see it.
    const before = problems.cspViolations.length
    await page.evaluate(() => {
      const style = document.createElement('style')
      style.textContent = 'body { outline: 1px solid red }'
      document.head.append(style)
    })
    await until('the canary violation to be reported', () => problems.cspViolations.length > before)
    t.match(problems.cspViolations[before], /^style-src/, 'inline styles are blocked by the CSP')
  },
)
