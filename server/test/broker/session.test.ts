import t from 'tap'
import { mintSession, SESSION_SECONDS } from '../../src/domain/broker/session.js'
import { ApiError } from '../../src/errors.js'
import { brokerApp, connect } from './support.js'

/** AWS sessions from STS GetSessionToken; providers without short-lived credentials get 409. */

const { app, sim, team } = await brokerApp(t, ['aws', 'hetzner-cloud'])
const deps = () => ({ em: app.orm.em.fork(), vault: app.vault, providers: app.providers })

t.test('aws: a session from STS that works, for at most an hour', async (t) => {
  const credentials = sim('aws').issueCredential()
  const accountId = await connect(app, team, 'aws', credentials)
  const { session, provider } = await mintSession(deps(), {
    workspaceId: team.workspaceId,
    accountId,
    durationSeconds: SESSION_SECONDS.max,
  })
  t.equal(provider, 'aws')
  t.match(session, {
    accessKeyId: /^ASIA/,
    secretAccessKey: /^.{40}$/,
    sessionToken: /./,
    expiresAt: /Z$/,
  })
  const asked = sim('aws').requests.at(-1)!
  t.match(asked.body, /Action=GetSessionToken/)
  t.match(asked.body, /DurationSeconds=3600/)
  t.equal(asked.credential, credentials.accessKeyId, 'minted with the stored key')
  const left = Date.parse((session as { expiresAt: string }).expiresAt) - Date.now()
  t.ok(left > 3500_000 && left <= 3600_000, 'an hour')

  // The session works on its own: the provider module verifies it against the simulator.
  const ctx = app.providers.context('aws')
  const verified = await app.providers
    .get('aws')
    .verify(ctx, { ...(session as Record<string, string>), region: 'us-east-1' })
  t.equal(verified.outcome, 'verified')
})

t.test('aws with temporary credentials: 409, STS is not asked', async (t) => {
  const credentials = sim('aws').issueCredential()
  const { session } = await mintSession(deps(), {
    workspaceId: team.workspaceId,
    accountId: await connect(app, team, 'aws', credentials),
    durationSeconds: 900,
  })
  // Connected like any key: the simulator knows the session it minted.
  const { accessKeyId, secretAccessKey, sessionToken } = session as Record<string, string>
  const accountId = await connect(app, team, 'aws', {
    accessKeyId: accessKeyId!,
    secretAccessKey: secretAccessKey!,
    sessionToken: sessionToken!,
  })
  const before = sim('aws').requests.length
  const err = await mintSession(deps(), {
    workspaceId: team.workspaceId,
    accountId,
    durationSeconds: 900,
  }).catch((e: unknown) => e)
  t.ok(err instanceof ApiError && err.code === 'CONFLICT', String(err))
  t.equal(sim('aws').requests.length, before)
})

t.test('hetzner-cloud: no short-lived credentials, 409 with a clear message', async (t) => {
  const accountId = await connect(
    app,
    team,
    'hetzner-cloud',
    sim('hetzner-cloud').issueCredential(),
  )
  const err = await mintSession(deps(), {
    workspaceId: team.workspaceId,
    accountId,
    durationSeconds: 900,
  }).catch((e: unknown) => e)
  t.ok(err instanceof ApiError && err.code === 'CONFLICT')
  t.match((err as Error).message, /no short-lived credentials/)
})
