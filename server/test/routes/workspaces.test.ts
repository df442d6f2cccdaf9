import t from 'tap'
import { createTestDatabase } from '../helper.js'
import { build } from '../helper.js'
import { newUser, team } from '../support/fixtures.js'
import { assertErrorShape } from '../support/http.js'

const create = (app: Awaited<ReturnType<typeof build>>['app'], headers: object, name = 'New') =>
  app.inject({ method: 'POST', url: '/api/v1/workspaces', headers, payload: { name } })

// One database, one app per WORKSPACE_CREATION value.
const { env } = await createTestDatabase(t)

t.test('by default only people who own a workspace create more', async (t) => {
  const { app } = await build(t, { env })
  const { owner, member } = await team(app)

  const byOwner = await create(app, owner.headers, 'Second')
  t.equal(byOwner.statusCode, 201)
  t.match(byOwner.json(), { id: String, name: 'Second', role: 'owner' })

  const byMember = await create(app, member.headers)
  t.equal(byMember.statusCode, 403, 'a member of someone else’s workspace cannot start one')
  t.equal(byMember.json().code, 'FORBIDDEN')
  assertErrorShape(t, byMember)

  const loner = await newUser(app)
  t.equal((await create(app, loner.headers)).statusCode, 403, 'nor can a user in no workspace')
  const me = await app.inject({ url: '/api/v1/me', headers: member.headers })
  t.equal(me.json().workspaces.length, 1, 'nothing was created')
})

t.test('WORKSPACE_CREATION=anyone lets every signed-in user start one', async (t) => {
  const { app } = await build(t, { env, config: { WORKSPACE_CREATION: 'anyone' } })
  const { member } = await team(app)
  t.equal((await create(app, member.headers)).statusCode, 201)
  t.equal((await create(app, (await newUser(app)).headers)).statusCode, 201)
})

t.test('WORKSPACE_CREATION=nobody: only first-run setup creates a workspace', async (t) => {
  const { app } = await build(t, { env, config: { WORKSPACE_CREATION: 'nobody' } })
  const { owner } = await team(app)
  const res = await create(app, owner.headers)
  t.equal(res.statusCode, 403)
  t.equal(res.json().code, 'FORBIDDEN')
})
