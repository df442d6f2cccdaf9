import t from 'tap'
import { build } from './helper.js'

t.test('every answer carries the security headers, API and errors alike', async (t) => {
  const { app } = await build(t)
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
    t.match(String(res.headers['strict-transport-security']), /max-age=\d+/, `${url}: HSTS`)
    t.equal(res.headers['x-dns-prefetch-control'], 'off', `${url}: no DNS prefetch`)
  }
})
