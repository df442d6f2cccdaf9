import t from 'tap'
import {
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
 * The frame around the pages: the user menu shows the whole (long) email, switches between the
 * system's colour scheme, light and dark, and links the API documentation, whose page keeps a
 * strict CSP and passes axe. Dark mode follows `prefers-color-scheme` until a theme is picked.
 */

const app = await startApp(t)
const owner = await setupOwner(app, 'Olivia Owner-Longname')
const browser = await launchBrowser(t)
const { context, page } = await openPage(browser)
const problems = await watchProblems(page)
await signIn(page, app, owner)

/** The page's background colour, as the browser computed it. */
const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor)
const isDark = async () => {
  const [r, g, b] = ((await background()).match(/\d+/g) ?? []).map(Number)
  return (r ?? 255) + (g ?? 255) + (b ?? 255) < 150
}

await t.test('dark mode follows the system, and the menu can pin either', async (t) => {
  await page
    .getByTestId('account-row')
    .first()
    .waitFor({ state: 'attached' })
    .catch(() => null)
  t.notOk(await isDark(), 'a light system gives the light theme')
  await page.emulateMedia({ colorScheme: 'dark' })
  t.ok(await isDark(), 'a dark system gives the dark theme, without a choice made')
  t.same(await seriousViolations(page), [], 'dark: no serious or critical axe violations')
  t.same(await screenshots(page, 'dark-system'), [], 'dark: no sideways scrolling')

  const menu = page.getByTestId('user-menu')
  await menu.locator('summary').click()
  t.equal(await menu.getByTestId('user-email').innerText(), owner.email, 'the whole email')
  await menu.getByLabel('Light').check()
  t.notOk(await isDark(), 'light, picked, wins over a dark system')
  await page.reload()
  await page.getByRole('heading', { level: 1, name: 'Cloud accounts' }).waitFor()
  t.notOk(await isDark(), 'and is remembered')

  await page.emulateMedia({ colorScheme: 'light' })
  await menu.locator('summary').click()
  await menu.getByLabel('Dark').check()
  t.ok(await isDark(), 'dark, picked, wins over a light system')
  await page.keyboard.press('Escape')
  t.equal(await menu.getAttribute('open'), null, 'Escape closes the menu')

  // Every page in dark, at both widths.
  for (const [path, name] of [
    [`w/${owner.workspaceId}/settings/connections/cloud-accounts`, 'Cloud accounts'],
    [`w/${owner.workspaceId}/settings/members`, 'Members'],
    [`w/${owner.workspaceId}/settings/api-tokens`, 'API tokens'],
    [`w/${owner.workspaceId}/settings/notifications`, 'Notifications'],
    ['security', 'Security'],
    [`w/${owner.workspaceId}/audit`, 'Audit log'],
  ] as const) {
    await page.goto(`${app.url}/${path}`)
    await page.getByRole('heading', { level: 1, name }).waitFor()
    for (const width of [1440, 375]) {
      await page.setViewportSize({ width, height: 900 })
      t.same(await seriousViolations(page), [], `${name}, dark, ${width} px: no serious violations`)
    }
    await page.setViewportSize({ width: 1440, height: 900 })
  }
  t.same(await screenshots(page, 'dark-audit'), [], 'no sideways scrolling')

  await menu.locator('summary').click()
  await menu.getByLabel('System').check()
  t.notOk(await isDark(), 'back to the system (light here)')
  await page.keyboard.press('Escape')
})

await t.test('the API documentation, linked from the menu, under a strict CSP', async (t) => {
  const menu = page.getByTestId('user-menu')
  await menu.locator('summary').click()
  const link = menu.getByRole('link', { name: /API documentation/ })
  t.equal(await link.getAttribute('href'), '/api/docs')
  const [docs] = await Promise.all([context.waitForEvent('page'), link.click()])
  const docsProblems = await watchProblems(docs)
  const response = await docs.goto(`${app.url}/api/docs`)
  const csp = (await response?.headerValue('content-security-policy')) ?? ''
  t.notMatch(csp, /unsafe-inline|unsafe-eval/, 'no unsafe sources')
  t.notMatch(csp, /upgrade-insecure-requests/, 'usable over plain HTTP')
  await docs.locator('.swagger-ui .info .title').waitFor()
  t.match(await docs.locator('.swagger-ui .info .title').innerText(), /Cloudlink API/)
  // One operation open, so its parameters and responses are checked too.
  await docs.locator('.opblock-summary-control').first().click()
  await docs.locator('.opblock-body').first().waitFor()
  for (const width of [1440, 375]) {
    await docs.setViewportSize({ width, height: 900 })
    t.same(
      await seriousViolations(docs),
      [],
      `docs at ${width} px: no serious or critical axe violations`,
    )
  }
  t.same(docsProblems.cspViolations, [], 'no CSP violations (the inline-style error is gone)')
  t.same(unexpectedConsoleErrors(docsProblems), [], 'no console errors')
  t.same(docsProblems.pageErrors, [], 'no page errors')
  await docs.close()
})

await t.test('no console errors, page errors or CSP violations in the app', async (t) => {
  t.same(problems.cspViolations, [], 'no CSP violations')
  t.same(problems.pageErrors, [], 'no uncaught errors')
  t.same(unexpectedConsoleErrors(problems), [], 'no console errors')
})
