import t from 'tap'
import { Secret, TOTP } from 'otpauth'
import {
  api,
  launchBrowser,
  openPage,
  seriousViolations,
  setupOwner,
  signIn,
  startApp,
  until,
  unexpectedConsoleErrors,
  watchProblems,
} from './harness.js'

/**
 * Account security, as a person does it: turn on an authenticator app from the Security page
 * (reading the setup key off the page, computing codes as the app would), sign out, sign in with
 * a code, and end another session (a "stolen" one) from the sessions list.
 */

const app = await startApp(t)
const owner = await setupOwner(app)
// Another sign-in of the same person, elsewhere: the session to end at the end.
const stolen = await api<{ token: string }>(app, 'POST', '/auth/login', {
  body: { email: owner.email, password: owner.password },
  expect: 200,
})
const browser = await launchBrowser(t)
const { page } = await openPage(browser)
const problems = await watchProblems(page)

const step = () => TOTP.counter({ period: 30 })
const codeFor = (secret: string) =>
  TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 })
let secret = ''
let enrolledAt = 0

await t.test('the Security page turns on an authenticator app', async (t) => {
  await signIn(page, app, owner)
  await page.getByTestId('user-menu').locator('summary').click()
  await page.getByRole('link', { name: 'Security' }).click()
  await page.waitForURL(`${app.url}/security`)
  await page.getByRole('heading', { level: 1, name: 'Security' }).waitFor()
  t.same(await seriousViolations(page), [], 'security: no serious or critical axe violations')

  await page.getByRole('button', { name: 'Set up authenticator app' }).click()
  await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor()
  secret = await page.getByLabel('Setup key', { exact: true }).inputValue()
  t.match(secret, /^[A-Z2-7]{32}$/, 'the key is on the page as text')
  enrolledAt = step()
  await page.getByLabel('Code from the app').fill(codeFor(secret))
  await page.getByRole('button', { name: 'Turn on', exact: true }).click()

  const codes = page.getByTestId('recovery-codes')
  await codes.getByRole('heading', { name: 'Save your recovery codes' }).waitFor()
  t.equal(await codes.locator('li').count(), 10, 'ten recovery codes, shown once')
  await page.getByRole('button', { name: "I've saved them" }).click()
  await page
    .getByTestId('totp-status')
    .getByText(/^On: sign-in asks for a code/)
    .waitFor()
  t.match(await page.getByTestId('totp-status').textContent(), /10 recovery codes left/)
})

await t.test('sign out, then sign in with the password and a code', async (t) => {
  await page.getByTestId('sign-out').click()
  await page.waitForURL(/\/login\?signedOut=1$/)
  await page.getByLabel('Email').fill(owner.email)
  await page.getByLabel('Password').fill(owner.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { name: 'Two-step sign-in' }).waitFor()
  // The enrolment's code is spent: wait for the app's next one, as a person would.
  await until('the next 30-second code', () => step() > enrolledAt, 35_000)
  await page.getByLabel('Code').fill(codeFor(secret))
  await page.getByRole('button', { name: 'Verify' }).click()
  await page.waitForURL(/\/w\/[^/]+\/settings\/connections\/cloud-accounts$/)
  await page.getByRole('heading', { level: 1, name: 'Cloud accounts' }).waitFor()
  t.pass('signed in with the second factor')
})

await t.test('end another session from the sessions list', async (t) => {
  await api(app, 'GET', '/me', { token: stolen.token })
  await page.getByTestId('user-menu').locator('summary').click()
  await page.getByRole('link', { name: 'Security' }).click()
  const rows = page.getByTestId('session-row')
  // The session ids are the tokens' jti: find the stolen one's row among this person's sessions
  // (the setup's, the stolen one, this browser's).
  const payload = (stolen.token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/')
  const jti = (JSON.parse(Buffer.from(payload, 'base64').toString()) as { jti: string }).jti
  const row = page.locator(`[data-testid="session-row"][data-session-id="${jti}"]`)
  await row.waitFor()
  const before = await rows.count()
  t.equal(await page.locator('[data-testid="session-row"]', { hasText: 'This session' }).count(), 1)
  await row.getByRole('button', { name: /End session/ }).click()
  await page.getByTestId('flash').getByText('Session ended.').waitFor()
  t.equal(await rows.count(), before - 1, 'the ended session left the list')
  t.equal(await row.count(), 0)
  await api(app, 'GET', '/me', { token: stolen.token, expect: 401 })
  t.pass('the ended session is refused')
  t.same(unexpectedConsoleErrors(problems), [], 'no unexpected console errors')
})
