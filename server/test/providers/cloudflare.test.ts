import { randomBytes } from 'node:crypto'
import t from 'tap'
import { invalidField, simContext } from './sim-context.js'

/** Cloudflare: user versus account-owned tokens, codes over statuses, nothing to list. */
t.test('cloudflare', async (t) => {
  const { sim, module, ctx } = await simContext(t, 'cloudflare')
  const accountId = randomBytes(16).toString('hex')
  const accountToken = {
    token: `cfat_${randomBytes(30).toString('base64url').replace(/[-_]/g, 'x').slice(0, 40)}${randomBytes(4).toString('hex')}`,
    accountId,
  }
  sim.registerCredential(accountToken, { identity: { email: 'ops@example.com' } })
  // A legacy-format (40-character) account token: nothing in it says it is account-owned.
  const legacyAccountToken = { token: 'L'.repeat(36) + 'acct', accountId }
  sim.registerCredential(legacyAccountToken)
  t.beforeEach(() => sim.clearRequests())

  t.test('a user token: verified on /user/tokens/verify, with its only account', async (t) => {
    const c = module.validate(
      sim.issueCredential({ identity: { id: 'a'.repeat(32), email: 'ada@example.com' } }),
    )
    t.same(await module.verify(ctx, c), {
      outcome: 'verified',
      identity: { id: 'a'.repeat(32), name: "ada@example.com's Account" },
      warnings: [],
    })
    t.same(
      sim.requests.map((r) => r.path),
      [
        '/client/v4/user/tokens/verify',
        '/client/v4/zones?per_page=1',
        '/client/v4/accounts?per_page=50',
      ],
    )
  })

  t.test('an account token with its Account ID: verified on the account endpoint', async (t) => {
    const result = await module.verify(ctx, module.validate(accountToken))
    t.same(result, {
      outcome: 'verified',
      identity: { id: accountId, name: "ops@example.com's Account" },
      warnings: [],
    })
    t.equal(sim.requests[0]?.path, `/client/v4/accounts/${accountId}/tokens/verify`)
    t.match(sim.requests[1]?.path, `account.id=${accountId}`)
  })

  t.test('an account token (cfat_) without its Account ID: a 400 before any request', async (t) => {
    t.equal(invalidField(module, { token: accountToken.token }), 'credentials.accountId')
    t.equal(sim.requests.length, 0)
  })

  t.test('a legacy account token without the ID: code 1000, rejected with the fix', async (t) => {
    const result = await module.verify(ctx, module.validate({ token: legacyAccountToken.token }))
    t.match(result, {
      outcome: 'rejected',
      providerStatus: 401,
      providerCode: '1000',
      reason: /Invalid API Token.*account API token, which also needs the Account ID/,
    })
    t.equal(sim.requests.length, 1)
    const withId = await module.verify(ctx, module.validate(legacyAccountToken))
    t.equal(withId.outcome, 'verified', 'and works once the ID is given')
  })

  t.test('an account token with another account’s ID is rejected naming the ID', async (t) => {
    const other = 'b'.repeat(32)
    const result = await module.verify(ctx, module.validate({ ...accountToken, accountId: other }))
    t.match(result, {
      outcome: 'rejected',
      providerStatus: 403,
      providerCode: '9109',
      reason: /not valid for account ••••bbbb .*check the Account ID/,
    })
  })

  t.test('a user token entered with an Account ID still verifies as a user token', async (t) => {
    const c = sim.issueCredential({ identity: { id: accountId } })
    const result = await module.verify(ctx, module.validate({ ...c, accountId }))
    t.match(result, { outcome: 'verified', identity: { id: accountId } })
    t.same(
      sim.requests.slice(0, 2).map((r) => r.path),
      [`/client/v4/accounts/${accountId}/tokens/verify`, '/client/v4/user/tokens/verify'],
    )
  })

  t.test('a revoked token: code 1000, whatever the status', async (t) => {
    const c = sim.issueCredential()
    sim.revoke(c)
    t.match(await module.verify(ctx, module.validate(c)), {
      outcome: 'rejected',
      providerCode: '1000',
    })
  })

  t.test('no Zone: Read: rejected naming the permission', async (t) => {
    const c = module.validate(sim.issueCredential({ scopes: 'insufficient' }))
    t.match(await module.verify(ctx, c), {
      outcome: 'rejected',
      providerStatus: 403,
      providerCode: '9109',
      reason: /lacks the Zone → Zone: Read permission/,
    })
  })

  t.test('nothing to list: empty, with a note, and no request', async (t) => {
    const result = await module.listServers(ctx, module.validate(sim.issueCredential()))
    t.same(result, {
      outcome: 'listed',
      servers: [],
      note: 'Cloudflare has no servers to list: it is connected for DNS and storage',
    })
    t.equal(sim.requests.length, 0)
  })

  t.test('format: the Account ID is 32 hex (case folded), the token new or legacy', async (t) => {
    t.same(module.validate({ ...accountToken, accountId: accountId.toUpperCase() }), accountToken)
    t.equal(invalidField(module, { ...accountToken, accountId: 'xyz' }), 'credentials.accountId')
    t.equal(invalidField(module, { token: 'cfk_' + 'a'.repeat(48) }), 'credentials.token')
    t.equal(invalidField(module, { token: 'a'.repeat(40) }), null)
  })

  t.test('hints: the cfut_/cfat_ prefix and the last 4', async (t) => {
    t.equal(module.hint(accountToken), `cfat_••••${accountToken.token.slice(-4)}`)
    t.equal(module.hint({ token: legacyAccountToken.token }), '••••acct')
  })
})
