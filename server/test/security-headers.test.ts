import t from 'tap'
import { build, createTestDatabase } from './helper.js'
import { newUser } from './support/fixtures.js'

const { env } = await createTestDatabase(t)

t.test('every answer carries the security headers, API and errors alike', async (t) => {
  const { app } = await build(t, { env })
  for (const url of ['/', '/health/live', '/api/v1/me', '/no/such/page']) {
    const res = await app.inject({ url })
    const csp = String(res.headers['content-security-policy'])
    t.match(csp, /default-src 'self'/, `${url}: CSP`)
    t.match(csp, /script-src 'self'(;|$)/, `${url}: scripts only from this origin, no inline`)
    t.match(csp, /frame-ancestors 'none'/, `${url}: no framing`)
    t.notMatch(csp, /upgrade-insecure-requests/, `${url}: plain-HTTP LAN installs keep working`)
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${url}: nosniff`)
    t.equal(res.headers['referrer-policy'], 'no-referrer', `${url}: no referrer`)
    t.equal(res.headers['x-frame-options'], 'SAMEORIGIN', `${url}: legacy framing header`)
    t.notOk(res.headers['x-powered-by'], `${url}: no X-Powered-By`)
    t.equal(res.headers['cross-origin-opener-policy'], 'same-origin', `${url}: COOP`)
    t.equal(res.headers['cross-origin-resource-policy'], 'same-origin', `${url}: CORP`)
    t.notOk(res.headers['strict-transport-security'], `${url}: no HSTS over plain HTTP`)
    t.equal(res.headers['x-dns-prefetch-control'], 'off', `${url}: no DNS prefetch`)
  }
})

t.test('HSTS when the public URL is https', async (t) => {
  const { app } = await build(t, { env, config: { PUBLIC_URL: 'https://cloudlink.example.com' } })
  for (const url of ['/', '/api/v1/me']) {
    const res = await app.inject({ url })
    t.match(String(res.headers['strict-transport-security']), /max-age=31536000/, url)
  }
})

t.test('no API answer may be stored by a cache', async (t) => {
  const { app } = await build(t, { env })
  const user = await newUser(app)
  const answers = {
    'a token': await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.user.email, password: 'correct horse battery staple' },
    }),
    'a signed-in read': await app.inject({ url: '/api/v1/me', headers: user.headers }),
    'an error': await app.inject({ url: '/api/v1/me' }),
    'an unknown API route': await app.inject({ url: '/api/v1/nothing' }),
    'the provider list': await app.inject({ url: '/api/v1/providers', headers: user.headers }),
  }
  for (const [what, res] of Object.entries(answers)) {
    t.ok(res.statusCode > 0, `${what}: ${res.statusCode}`)
    t.equal(res.headers['cache-control'], 'no-store', what)
  }
  t.not(
    (await app.inject({ url: '/' })).headers['cache-control'],
    'no-store',
    'pages may be cached',
  )
})

t.test('the API docs page has its own strict policy, and its theme is a file', async (t) => {
  const { app } = await build(t, { env })
  const page = await app.inject({ url: '/api/docs/' })
  t.equal(page.statusCode, 200)
  const csp = String(page.headers['content-security-policy'])
  t.match(csp, /script-src 'self';/, 'scripts from the server only')
  t.match(csp, /style-src 'self' 'sha256-[A-Za-z0-9+/=]+';/, "Swagger UI's one style, by hash")
  t.notMatch(csp, /unsafe-inline|unsafe-eval/, 'no unsafe sources')
  t.notMatch(csp, /upgrade-insecure-requests/, 'works on an install served over plain HTTP')
  t.match(csp, /frame-ancestors 'none'/)
  t.match(page.body, /theme\/cloudlink\.css/, 'the page links the theme')
  const css = await app.inject({ url: '/api/docs/static/theme/cloudlink.css' })
  t.equal(css.statusCode, 200)
  t.match(String(css.headers['content-type']), /^text\/css/)
  t.match(css.body, /opblock-summary-method/)
})
