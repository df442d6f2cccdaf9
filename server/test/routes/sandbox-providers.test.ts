import t from 'tap'
import { PROVIDER_IDS } from '@cloudlink/shared'
import { build } from '../helper.js'
import { team } from '../support/fixtures.js'

/**
 * The "done when", through the REST API in sandbox mode: every API-key provider connects
 * with its demo credential, rejects the revoked one, reports an outage as unreachable, rechecks and
 * reconnects.
 */
t.test('every API-key provider through the REST API in sandbox mode', async (t) => {
  t.setTimeout(280_000)
  const { app } = await build(t, { config: { SANDBOX: '1' } })
  const { workspaceId, owner } = await team(app)
  const url = `/api/v1/workspaces/${workspaceId}/cloud-accounts`
  const providers = (await app.inject({ url: '/api/v1/providers', headers: owner.headers })).json()
  t.equal(providers.sandbox, true)
  const demos = providers.demoCredentials as {
    provider: string
    kind: string
    credentials: Record<string, string>
  }[]
  const apiKey = PROVIDER_IDS.filter((id) => id !== 'azure' && id !== 'gcp')
  t.equal(apiKey.length, 13)

  for (const provider of apiKey) {
    t.test(provider, async (t) => {
      const demo = (kind: string) =>
        demos.find((d) => d.provider === provider && d.kind === kind)?.credentials
      const good = demo('good')
      const revoked = demo('revoked')
      if (!good || !revoked) return t.fail(`no demo credentials for ${provider}`)
      const post = (credentials: Record<string, string>, label: string) =>
        app.inject({
          method: 'POST',
          url,
          headers: owner.headers,
          payload: { provider, label, credentials },
        })

      const rejected = await post(revoked, 'revoked')
      t.equal(rejected.statusCode, 422, rejected.body)
      t.equal(rejected.json().code, 'PROVIDER_REJECTED')

      const simUrl = app.sandbox.urls[provider]
      if (!simUrl) return t.fail(`no simulator for ${provider}`)
      const fault = (body: unknown) =>
        fetch(`${simUrl}/__sim/fault`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      await fault({ fault: { kind: 'status', status: 503 } })
      const down = await post(good, 'down')
      await fault({ fault: null })
      t.equal(down.statusCode, 502, down.body)
      t.equal(down.json().code, 'PROVIDER_UNREACHABLE')

      const created = await post(good, 'good')
      t.equal(created.statusCode, 201, created.body)
      const account = created.json()
      t.equal(account.status, 'connected')
      // Only secret fields must never come back; a login or access key id may (masked or as identity).
      const secretFields = (
        providers.items.find((p: { id: string }) => p.id === provider).fields as {
          name: string
          secret: boolean
        }[]
      )
        .filter((f) => f.secret)
        .map((f) => f.name)
      for (const name of secretFields) {
        const secret = good[name]
        if (secret && secret.length > 8)
          t.notOk(created.body.includes(secret), `${name} never echoed`)
      }

      const recheck = await app.inject({
        method: 'POST',
        url: `${url}/${account.id}/recheck`,
        headers: owner.headers,
      })
      t.equal(recheck.statusCode, 200)
      t.equal(recheck.json().status, 'connected')

      const badReconnect = await app.inject({
        method: 'PUT',
        url: `${url}/${account.id}/credentials`,
        headers: owner.headers,
        payload: { credentials: revoked, allowAccountChange: true },
      })
      t.equal(badReconnect.statusCode, 422, 'a refused reconnect…')
      const after = (
        await app.inject({ url: `${url}/${account.id}`, headers: owner.headers })
      ).json()
      t.equal(after.status, 'connected', '…keeps the working credential')
      t.equal(after.hint, account.hint)
    })
  }
})
