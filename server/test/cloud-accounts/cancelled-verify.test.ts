import t from 'tap'
import type { AddressInfo } from 'node:net'
import { build } from '../helper.js'
import { team } from '../support/fixtures.js'
import { connectDemoAccount } from '../support/routes.js'

// A person who cancels a slow verification (the UI aborts its request) gets nothing stored: the
// provider check runs to its end, but the account is not created, nor the credential replaced.
// Real HTTP: only a closed connection tells the server that nobody waits any more.

// The slow demo credential answers after 3 s: the deadline must outlast it.
const { app } = await build(t, { config: { SANDBOX: '1', PROVIDER_TIMEOUT_MS: '10000' } })
await app.listen({ port: 0, host: '127.0.0.1' })
const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`

/** The demo credential the sandbox answers only after 3 s, and a good one of the same provider. */
const slow = app.sandbox.demoCredentials.find((d) => d.kind === 'slow')
if (!slow) throw new Error('no slow demo credential')

/** Sends a request and gives up on it after `ms`, as the Cancel button does. */
async function abandon(method: string, path: string, token: string, body: unknown, ms = 400) {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), ms)
  const err = await fetch(`${origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: controller.signal,
  }).then(
    () => null,
    (e: unknown) => e,
  )
  clearTimeout(timer)
  t.equal((err as Error | null)?.name, 'AbortError', 'the request was abandoned while in flight')
}

const auditUntil = async (workspaceId: string, token: string, action: string) => {
  const deadline = Date.now() + 15_000
  for (;;) {
    const res = await app.inject({
      url: `/api/v1/workspaces/${workspaceId}/audit`,
      headers: { authorization: `Bearer ${token}` },
    })
    const entry = (
      res.json().items as { action: string; outcome: string; message?: string }[]
    ).find((e) => e.action === action)
    if (entry) return entry
    if (Date.now() > deadline) throw new Error(`no ${action} entry`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

t.test('a connect abandoned during a slow check stores nothing', async (t) => {
  const tm = await team(app)
  const base = `/api/v1/workspaces/${tm.workspaceId}/cloud-accounts`
  await abandon('POST', base, tm.owner.token, {
    provider: slow.provider,
    label: 'Slow one',
    credentials: slow.credentials,
  })
  const entry = await auditUntil(tm.workspaceId, tm.owner.token, 'account.connect')
  t.match(entry, { outcome: 'failed', message: /cancelled before anything was stored/ })
  const list = await app.inject({ url: base, headers: tm.owner.headers })
  t.same(list.json().items, [], 'no account was created')
})

t.test('a reconnect abandoned during a slow check keeps the old credential', async (t) => {
  const tm = await team(app)
  const accountId = await connectDemoAccount(app, tm)
  const url = `/api/v1/workspaces/${tm.workspaceId}/cloud-accounts/${accountId}`
  const before = (await app.inject({ url, headers: tm.owner.headers })).json()
  const sameProvider = app.sandbox.demoCredentials.find(
    (d) => d.kind === 'slow' && d.provider === before.provider,
  )
  if (!sameProvider) throw new Error('no slow credential for the demo account provider')
  await abandon('PUT', `${url}/credentials`, tm.owner.token, {
    credentials: sameProvider.credentials,
    allowAccountChange: true,
  })
  const entry = await auditUntil(tm.workspaceId, tm.owner.token, 'account.reconnect')
  t.match(entry, { outcome: 'failed', message: /cancelled before anything was stored/ })
  const after = (await app.inject({ url, headers: tm.owner.headers })).json()
  t.equal(after.hint, before.hint, 'the credential on file is the old one')
})

t.test('a caller that waits gets the slow account stored', async (t) => {
  const tm = await team(app)
  const res = await fetch(`${origin}/api/v1/workspaces/${tm.workspaceId}/cloud-accounts`, {
    method: 'POST',
    headers: { ...tm.owner.headers, 'content-type': 'application/json' },
    body: JSON.stringify({
      provider: slow.provider,
      label: 'Patient',
      credentials: slow.credentials,
    }),
  })
  t.equal(res.status, 201)
})
