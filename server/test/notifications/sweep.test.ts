import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { build } from '../helper.js'
import { addMember, newUser, newWorkspace, team } from '../support/fixtures.js'
import { simulators } from '../support/sims.js'
import { connectAll, makeDue, statuses, sweep } from '../jobs/fixtures/recheck.js'
import {
  addWebhook,
  FAST_NOTIFY,
  notifyConfig,
  startReceiver,
  startSmtp,
  waitFor,
} from './support.js'

/** Quiet time after the expected messages, in which no further one may arrive. */
const GRACE_MS = 2_000

/**
 * The daily sweep finds revoked credentials: each workspace's owners get one email listing every
 * account that changed, a subscribed webhook gets exactly one event per account, and a provider
 * that cannot be reached changes nothing and tells nobody.
 */
t.test('a sweep tells each workspace once, owners only', async (t) => {
  const smtp = await startSmtp(t)
  const receiver = await startReceiver(t)
  const { config, sim } = await simulators(t, ['hetzner-cloud', 'digitalocean'])
  const { app, logs } = await build(t, {
    config: { ...config, ...notifyConfig(smtp.url), RECHECK_SCHEDULE: 'off' },
    app: { notify: FAST_NOTIFY },
  })
  const a = await team(app)
  const coOwner = await newUser(app, 'Cora Co-owner')
  await addMember(app, a.workspaceId, coOwner, 'owner')
  const bOwner = await newUser(app, 'Bea Owner')
  const bQuiet = await newUser(app, 'Quentin Quiet')
  const b = await newWorkspace(app, bOwner, 'Beta')
  await addMember(app, b, bQuiet, 'owner')
  const off = await app.inject({
    method: 'PATCH',
    url: `/api/v1/workspaces/${b}/notifications/settings`,
    headers: bQuiet.headers,
    payload: { email: false },
  })
  t.match(off.json(), { email: false, mailConfigured: true })

  const inA = await connectAll(app, a.owner, a.workspaceId, sim, ['hetzner-cloud'], 3)
  const inB = await connectAll(app, bOwner, b, sim, ['digitalocean'], 2)
  const webhook = await addWebhook(app, a.owner, a.workspaceId, receiver)
  const revokedA = inA.slice(0, 2)
  const revokedB = inB.slice(0, 1)
  for (const acc of [...revokedA, ...revokedB]) sim(acc.provider).revoke(acc.credentials)

  await makeDue(app)
  const counts = await sweep(app)
  t.match(counts, { rejected: 3, ok: 2 })

  const mails = await waitFor('one email per workspace', () => smtp.messages.length >= 2)
  await sleep(GRACE_MS)
  t.equal(smtp.messages.length, 2, `exactly two messages (${String(mails)})`)
  const toA = smtp.messages.find((m) => m.to.includes(a.owner.user.email))
  const toB = smtp.messages.find((m) => m.to.includes(bOwner.user.email))
  t.same(toA?.to.sort(), [a.owner.user.email, coOwner.user.email].sort(), 'every owner of A')
  t.same(toB?.to, [bOwner.user.email], 'B: the owner who turned email off is left out')
  for (const m of smtp.messages) {
    t.notOk(m.to.includes(a.member.user.email), 'never a member')
    t.match(m.from, /alerts@cloudlink\.example\.test/)
  }
  t.match(toA?.subject, /Acme: 2 cloud accounts need attention/)
  for (const acc of revokedA) {
    t.match(
      toA?.text,
      `https://cloudlink.example.test/w/${a.workspaceId}/settings/connections/cloud-accounts#account-${acc.id}`,
    )
    t.match(toA?.html, `#account-${acc.id}`)
  }
  t.match(toA?.text, /What to do: Hetzner Cloud refused the stored credential/)
  t.match(toA?.html, /<strong>What to do:<\/strong>/)
  t.notMatch(toA?.text, `#account-${inA[2]?.id}`, 'an account that did not change is not listed')
  t.match(toB?.text, `#account-${revokedB[0]?.id}`)
  for (const acc of [...inA, ...inB])
    for (const secret of Object.values(acc.credentials))
      for (const m of smtp.messages) {
        t.notMatch(m.text, secret, 'no secret in the text')
        t.notMatch(m.html, secret, 'no secret in the HTML')
      }
  t.notOk(
    logs.some((l) => l.includes('mail-password')),
    'the SMTP password never reaches a log line',
  )

  const events = receiver.received
  t.equal(events.length, 2, 'one webhook event per revoked account of A')
  for (const e of events) {
    t.ok(e.verified)
    t.match(e.payload, {
      type: 'account.needs_attention',
      data: { workspaceId: a.workspaceId, account: { status: 'needs_attention', hint: String } },
    })
  }
  t.same(
    events.map((e) => (e.payload.data.account as { id: string }).id).sort(),
    revokedA.map((acc) => acc.id).sort(),
  )

  t.test('a provider that cannot be reached changes nothing and tells nobody', async (t) => {
    const before = await statuses(app)
    await makeDue(app)
    sim('hetzner-cloud').fault({ kind: 'status', status: 503 })
    sim('digitalocean').fault({ kind: 'reset' })
    const unreachable = await sweep(app)
    sim('hetzner-cloud').fault(null)
    sim('digitalocean').fault(null)
    t.match(unreachable, { unreachable: 5, rejected: 0 })
    await sleep(GRACE_MS)
    t.same(await statuses(app), before)
    t.equal(smtp.messages.length, 2, 'no email')
    t.equal(receiver.received.length, 2, 'no webhook event')
  })

  t.test('revoked again: still no news; restored: one recovery each', async (t) => {
    await makeDue(app)
    t.match(await sweep(app), { rejected: 3 })
    await sleep(GRACE_MS)
    t.equal(receiver.received.length, 2, 'a rejection repeated is no new event')
    t.equal(smtp.messages.length, 2)

    for (const acc of [...revokedA, ...revokedB]) sim(acc.provider).restore(acc.credentials)
    await makeDue(app)
    t.match(await sweep(app), { ok: 5 })
    await waitFor('recovery emails', () => smtp.messages.length >= 4)
    await waitFor('recovery events', () => receiver.received.length >= 4)
    await sleep(GRACE_MS)
    t.equal(smtp.messages.length, 4, 'one more email per workspace')
    t.equal(receiver.received.length, 4)
    t.same(
      receiver.received.slice(2).map((e) => e.payload.type),
      ['account.recovered', 'account.recovered'],
    )
    t.match(smtp.messages.at(-1)?.subject, /recovered|works again/)

    const alerts = await app.inject({
      url: `/api/v1/workspaces/${a.workspaceId}/notifications/accounts`,
      headers: a.member.headers,
    })
    t.equal(alerts.statusCode, 200)
    const first = alerts
      .json()
      .items.find((i: { accountId: string }) => i.accountId === revokedA[0]?.id)
    t.match(first, { event: 'account.recovered', webhookDeliveredAt: String })
    t.same(
      first.told.map((x: { user: { id: string } }) => x.user.id).sort(),
      [a.owner.user.id, coOwner.user.id].sort(),
      'the accounts page can say which owners were told',
    )
  })
  t.ok(webhook.id)
})
