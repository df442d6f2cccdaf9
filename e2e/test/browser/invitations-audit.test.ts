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
 * An owner revokes a pending invitation (its link stops working), then finds one account's
 * history in a busy audit log: filtered to that account, paged with "Load older entries", every
 * row naming the account, at 1440 and at 375 px.
 */

interface Account {
  id: string
  label: string
}

const app = await startApp(t)
const owner = await setupOwner(app)
const ws = `/workspaces/${owner.workspaceId}`

const { demoCredentials } = await api<{
  demoCredentials: { provider: string; kind: string; credentials: Record<string, string> }[]
}>(app, 'GET', '/providers', { token: owner.token })
const good = (provider: string) => {
  const demo = demoCredentials.find((d) => d.provider === provider && d.kind === 'good')
  if (!demo) throw new Error(`no good ${provider} demo credential`)
  return demo.credentials
}
const production = await api<Account>(app, 'POST', `${ws}/cloud-accounts`, {
  token: owner.token,
  body: { provider: 'digitalocean', label: 'Production', credentials: good('digitalocean') },
})
const staging = await api<Account>(app, 'POST', `${ws}/cloud-accounts`, {
  token: owner.token,
  body: { provider: 'vultr', label: 'Staging', credentials: good('vultr') },
})
// A busy trail: 60 edits of Production (more than one page), a few of Staging in between.
for (let i = 0; i < 60; i++) {
  const target = i % 10 === 0 ? staging : production
  await api(app, 'PATCH', `${ws}/cloud-accounts/${target.id}`, {
    token: owner.token,
    body: { description: `Change ${i}` },
    expect: 200,
  })
}
const kept = await api<{ token: string; url: string }>(app, 'POST', `${ws}/invitations`, {
  token: owner.token,
  body: { email: 'kept@example.com', role: 'member' },
})
const revoked = await api<{ token: string }>(app, 'POST', `${ws}/invitations`, {
  token: owner.token,
  body: { email: 'changed-mind@example.com', role: 'owner' },
})

const browser = await launchBrowser(t)
const { page } = await openPage(browser)
const problems = await watchProblems(page)
await signIn(page, app, owner)

await t.test('a pending invitation is revoked, and its link stops working', async (t) => {
  await page.goto(`${app.url}/w/${owner.workspaceId}/settings/members`)
  const pending = page.getByTestId('pending-invitations')
  const rows = pending.getByTestId('invitation-row')
  await rows.nth(1).waitFor()
  const row = rows.filter({ hasText: 'changed-mind@example.com' })
  t.match(await row.innerText(), /Owner/)
  t.match(await row.innerText(), /Expires in 7 days/)
  t.match(await row.innerText(), /invited by Olivia Owner/)
  t.same(await seriousViolations(page), [], 'members page: no serious or critical axe violations')
  t.same(await screenshots(page, 'members-pending'), [], 'no sideways scrolling at 375 or 1440 px')

  await row.getByRole('button', { name: /^Revoke/ }).click()
  const dialog = page.getByRole('dialog', {
    name: 'Revoke the invitation for changed-mind@example.com?',
  })
  await dialog.getByRole('button', { name: 'Revoke invitation' }).click()
  await dialog.waitFor({ state: 'detached' })
  await pending.getByText('The invitation for changed-mind@example.com was revoked.').waitFor()
  t.equal(await rows.count(), 1, 'one pending invitation left')
  t.match(await rows.first().innerText(), /kept@example\.com/)

  const preview = await fetch(`${app.url}/api/v1/invitations/${revoked.token}`)
  t.equal(preview.status, 404, 'the revoked link no longer works')
  t.equal((await fetch(kept.url.replace(/\/invite\//, '/api/v1/invitations/'))).status, 200)

  // The revoked link, opened by the invitee, says it can't be used.
  const invitee = await openPage(browser)
  await invitee.page.goto(`${app.url}/invite/${revoked.token}`)
  await invitee.page
    .getByRole('heading', { level: 1, name: "This invitation can't be used" })
    .waitFor()
  t.match(
    await invitee.page.getByTestId('invitation-reason').innerText(),
    /revoked, or it is incomplete/,
  )
  await invitee.context.close()
})

await t.test('the audit log, filtered to one account and paged', async (t) => {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Audit log' })
    .click()
  await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor()
  const rows = page.getByTestId('audit-row')
  await rows.first().waitFor()
  t.match(
    await page.locator('tr[data-action="member.invite_revoke"]').innerText(),
    /Revoked an invitation/,
    'the revocation is in the trail, in words',
  )

  await page.getByTestId('audit-filter-account').selectOption({ label: 'Production' })
  await page.waitForURL(new RegExp(`[?&]account=${production.id}`))
  await page.getByTestId('audit-more').waitFor()
  t.equal(await rows.count(), 50, 'the first page')
  const accounts = await page.getByTestId('audit-account').allInnerTexts()
  t.ok(
    accounts.every((text) => text.startsWith('Production')),
    'every row names the account',
  )
  await page.getByTestId('audit-more').click()
  await page.getByTestId('audit-more').waitFor({ state: 'detached' })
  const total = await rows.count()
  t.equal(total, 55, 'the older entries: 54 edits and the connect')
  t.ok(
    (await page.getByTestId('audit-account').allInnerTexts()).every((x) =>
      x.startsWith('Production'),
    ),
    'older pages keep the filter',
  )
  t.match(
    await page.locator('tr[data-action="account.connect"]').innerText(),
    /Connected an account/,
  )

  await page.getByTestId('audit-filter-action').selectOption('account.connect')
  await page.waitForURL(/[?&]action=account\.connect/)
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid="audit-row"]').length === 1,
  )
  t.pass('filters combine: the account and the action')

  // A teammate with the link sees the same entries.
  const shared = page.url()
  const again = await openPage(browser)
  await signIn(again.page, app, owner)
  await again.page.goto(shared)
  await again.page.getByTestId('audit-row').first().waitFor()
  t.equal(await again.page.getByTestId('audit-row').count(), 1, 'the address keeps the filters')
  await again.context.close()

  await page.getByRole('button', { name: 'Clear filters' }).click()
  await page.getByTestId('audit-more').waitFor()
  t.same(await seriousViolations(page), [], 'audit at 1440 px: no serious or critical violations')
  await page.setViewportSize({ width: 375, height: 900 })
  t.same(await seriousViolations(page), [], 'audit at 375 px: no serious or critical violations')
  const region = page.getByTestId('audit-region')
  t.equal(await region.getAttribute('tabindex'), '0', 'the scroll region takes keyboard focus')
  await page.setViewportSize({ width: 1440, height: 900 })
  t.same(await screenshots(page, 'audit-filtered'), [], 'no sideways scrolling at 375 or 1440 px')
})

await t.test('no console errors, page errors or CSP violations', async (t) => {
  t.same(problems.cspViolations, [], 'no CSP violations')
  t.same(problems.pageErrors, [], 'no uncaught errors')
  t.same(unexpectedConsoleErrors(problems), [], 'no console errors')
  t.same(problems.failedResponses, ['GET /api/v1/me 401'], 'only the session probe failed')
})
