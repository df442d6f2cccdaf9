import t from 'tap'
import {
  api,
  launchBrowser,
  openPage,
  screenshots,
  seriousViolations,
  setupOwner,
  signIn,
  startApp,
  unexpectedConsoleErrors,
  watchProblems,
} from './harness.js'

/**
 * An owner invites a member and hands over the link; the member (in a browser of their own)
 * accepts it, chooses a name and password, and sees the cloud accounts read-only. The owner then
 * sees the newcomer in the member list and the whole story in the audit log.
 */

const app = await startApp(t)
const owner = await setupOwner(app)
const workspacePath = `/workspaces/${owner.workspaceId}`

// One connected account, so the member has something to look at (seeded through the public API).
const { demoCredentials } = await api<{
  demoCredentials: { provider: string; kind: string; credentials: Record<string, string> }[]
}>(app, 'GET', '/providers', { token: owner.token })
const good = demoCredentials.find((d) => d.provider === 'digitalocean' && d.kind === 'good')
if (!good) throw new Error('no good DigitalOcean demo credential')
await api(app, 'POST', `${workspacePath}/cloud-accounts`, {
  token: owner.token,
  body: { provider: 'digitalocean', label: 'Production', credentials: good.credentials },
})

const browser = await launchBrowser(t)
const ownerTab = await openPage(browser)
const ownerPage = ownerTab.page
const ownerProblems = await watchProblems(ownerPage)
await ownerTab.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url })
await signIn(ownerPage, app, owner)

const memberTab = await openPage(browser)
const memberPage = memberTab.page
const memberProblems = await watchProblems(memberPage)
const member = { name: 'Mia Member', email: 'mia@example.com', password: 'members-only passphrase' }
let link = ''

await t.test('the owner creates an invitation and gets a copyable link', async (t) => {
  await ownerPage
    .getByRole('navigation', { name: 'Settings' })
    .getByRole('link', { name: 'Members' })
    .click()
  await ownerPage.waitForURL(/\/settings\/members$/)
  await ownerPage.getByRole('heading', { level: 1, name: 'Members' }).waitFor()
  const form = ownerPage.getByTestId('invite-form')
  await form.getByLabel('Email address').fill(member.email)
  t.equal(await form.getByLabel('Role').inputValue(), 'member', 'Member is the default role')
  await form.getByRole('button', { name: 'Create invitation link' }).click()

  const result = ownerPage.getByTestId('invitation-link')
  await result.getByText(`Invitation for ${member.email} created`).waitFor()
  link = await result.getByLabel('Invitation link').inputValue()
  t.match(link, new RegExp(`^${app.url}/invite/[A-Za-z0-9_-]{20,}$`), 'a link to this server')
  await result.getByRole('button', { name: /Copy/ }).click()
  await result.getByRole('button', { name: /Copied/ }).waitFor()
  t.equal(
    await ownerPage.evaluate(() => navigator.clipboard.readText()),
    link,
    'Copy puts the link on the clipboard',
  )
  t.same(
    await seriousViolations(ownerPage),
    [],
    'members page: no serious or critical axe violations',
  )
  t.same(
    await screenshots(ownerPage, 'members-owner'),
    [],
    'no sideways scrolling at 375 or 1440 px',
  )
})

await t.test('the invitee opens the link and accepts with a name and password', async (t) => {
  await memberPage.goto(link)
  await memberPage.getByRole('heading', { level: 1, name: 'Join Acme Hosting' }).waitFor()
  t.match(
    await memberPage.locator('#app').innerText(),
    /mia@example\.com was invited to join Acme Hosting as Member/,
  )
  t.equal(await memberPage.getByLabel('Email').inputValue(), member.email, 'the email is given')
  t.same(
    await seriousViolations(memberPage),
    [],
    'invitation page: no serious or critical axe violations',
  )
  t.same(
    await screenshots(memberPage, 'invite-accept'),
    [],
    'no sideways scrolling at 375 or 1440 px',
  )

  await memberPage.getByLabel('Your name').fill(member.name)
  await memberPage.getByLabel('Choose a password').fill(member.password)
  await memberPage.getByRole('button', { name: 'Accept invitation' }).click()
  await memberPage.waitForURL(
    new RegExp(`/w/${owner.workspaceId}/settings/connections/cloud-accounts$`),
  )
  await memberPage.getByRole('heading', { level: 1, name: 'Cloud accounts' }).waitFor()
  t.equal(await memberPage.getByRole('banner').getByText(member.name).textContent(), member.name)
  t.match(
    await memberPage.getByTestId('workspace-switcher').locator('option:checked').textContent(),
    /Acme Hosting \(Member\)/,
  )
})

await t.test('the member sees the cloud accounts read-only', async (t) => {
  const row = memberPage.getByTestId('account-row')
  await row.waitFor()
  t.equal(await row.count(), 1)
  t.equal(await row.getAttribute('data-status'), 'connected')
  await row.getByText('Production').first().waitFor()
  t.match(
    await memberPage.getByTestId('member-note').innerText(),
    /Only workspace owners can connect, change or remove cloud accounts\./,
    'the note says only owners manage cloud accounts',
  )
  // No way to change anything: no actions, no connect button, no provider picker.
  t.equal(await memberPage.getByTestId('account-actions').count(), 0, 'no row actions')
  t.equal(await memberPage.getByTestId('connect-another').count(), 0, 'no connect button')
  t.equal(await memberPage.getByTestId('picker').count(), 0, 'no provider picker')
  for (const name of ['Recheck', 'Reconnect', 'Edit', 'Set as default', 'Remove', 'Connect'])
    t.equal(
      await memberPage.getByRole('button', { name, exact: true }).count(),
      0,
      `no ${name} button`,
    )
  // Reading is allowed: the servers can still be expanded.
  await row.getByTestId('servers-toggle').click()
  await row.getByTestId('server-list').locator('tbody tr').nth(1).waitFor()

  t.equal(
    await memberPage
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Audit log' })
      .count(),
    0,
    'no audit link for members',
  )
  t.same(
    await seriousViolations(memberPage),
    [],
    'member view: no serious or critical axe violations',
  )
  t.same(
    await screenshots(memberPage, 'cloud-accounts-member'),
    [],
    'no sideways scrolling at 375 or 1440 px',
  )
})

await t.test('owner-only pages stay closed to the member', async (t) => {
  await memberPage.goto(`${app.url}/w/${owner.workspaceId}/audit`)
  await memberPage.waitForURL(/\/owner-only\?page=audit$/)
  const notice = memberPage.getByTestId('owner-only-page')
  await notice.getByRole('heading', { level: 1, name: 'For workspace owners only' }).waitFor()
  t.match(await notice.innerText(), /Only owners of this workspace can open the audit log/)
  await notice.getByText('Owners: Olivia Owner.').waitFor()
  t.same(
    await seriousViolations(memberPage),
    [],
    'owner-only page: no serious or critical axe violations',
  )
  await notice.getByRole('link', { name: 'Back to the cloud accounts' }).click()
  await memberPage.waitForURL(/\/settings\/connections\/cloud-accounts$/)
  await memberPage.getByTestId('member-note').waitFor()
  t.pass('the audit page tells members it is for owners, and leads back')

  await memberPage
    .getByRole('navigation', { name: 'Settings' })
    .getByRole('link', { name: 'Members' })
    .click()
  await memberPage.getByRole('heading', { level: 1, name: 'Members' }).waitFor()
  await memberPage.getByText('Only workspace owners can invite people or change roles.').waitFor()
  t.equal(await memberPage.getByTestId('invite-form').count(), 0, 'no invite form')
  t.equal(await memberPage.getByRole('button', { name: /^Remove/ }).count(), 0, 'no remove buttons')
  t.equal(
    await memberPage.getByRole('combobox', { name: /^Role of/ }).count(),
    0,
    'no role pickers',
  )
})

await t.test('the owner sees the new member and the audit trail', async (t) => {
  await ownerPage.reload()
  const rows = ownerPage.getByTestId('member-row')
  await rows.filter({ hasText: member.name }).waitFor()
  t.equal(await rows.count(), 2, 'owner and member')
  t.equal(await rows.filter({ hasText: member.name }).getByRole('combobox').inputValue(), 'member')

  await ownerPage
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Audit log' })
    .click()
  await ownerPage.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor()
  const table = ownerPage.getByTestId('audit-table')
  for (const action of ['account.connect', 'member.invite', 'member.join'])
    await table.locator(`tr[data-action="${action}"]`).first().waitFor()
  t.match(await table.locator('tr[data-action="member.join"]').innerText(), /Mia Member/)
  t.same(
    await seriousViolations(ownerPage),
    [],
    'audit page: no serious or critical axe violations',
  )
  t.same(await screenshots(ownerPage, 'audit-owner'), [], 'no sideways scrolling at 375 or 1440 px')
})

await t.test('no console errors, page errors or CSP violations in either browser', async (t) => {
  for (const [who, problems] of [
    ['owner', ownerProblems],
    ['member', memberProblems],
  ] as const) {
    t.same(problems.cspViolations, [], `${who}: no CSP violations`)
    t.same(problems.pageErrors, [], `${who}: no uncaught errors`)
    t.same(unexpectedConsoleErrors(problems), [], `${who}: no console errors`)
  }
  // Each login or invitation page first asks whether a session exists.
  t.same(
    ownerProblems.failedResponses,
    ['GET /api/v1/me 401'],
    'owner: only the session probe failed',
  )
  t.same(
    memberProblems.failedResponses,
    ['GET /api/v1/me 401'],
    'member: only the session probe failed',
  )
})
