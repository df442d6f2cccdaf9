import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { MembershipEntity, UserEntity, WorkspaceEntity } from '../../src/db/entities/index.js'
import { hashPassword } from '../../src/domain/auth/password.js'
import { createSession } from '../../src/domain/sessions/sessions-service.js'
import type { Role } from '@cloudlink/shared'

export const PASSWORD = 'correct horse battery staple'
let passwordHash: Promise<string> | undefined

export interface Session {
  user: { id: string; email: string; name: string }
  token: string
  headers: { authorization: string }
}

/** A user created directly, with a session token signed by the app's real JWT setup. */
export async function newUser(app: FastifyInstance, name = 'Test User'): Promise<Session> {
  passwordHash ??= hashPassword(PASSWORD)
  const em = app.orm.em.fork()
  const user = em.create(UserEntity, {
    id: randomUUID(),
    email: `${randomUUID().slice(0, 8)}@example.test`,
    name,
    passwordHash: await passwordHash,
  })
  await em.flush()
  return newSession(app, { id: user.id, email: user.email, name: user.name })
}

/** Another sign-in of the same person: a session row and its token, as a login would make. */
export async function newSession(app: FastifyInstance, user: Session['user']): Promise<Session> {
  const jti = randomUUID()
  await createSession(app.orm.em.fork(), { id: jti, userId: user.id, ip: null, userAgent: null })
  const token = app.jwt.sign({ sub: user.id, jti })
  return { user, token, headers: { authorization: `Bearer ${token}` } }
}

export async function newWorkspace(
  app: FastifyInstance,
  owner: Session,
  name = 'Acme',
): Promise<string> {
  const em = app.orm.em.fork()
  const workspace = em.create(WorkspaceEntity, { id: randomUUID(), name })
  em.create(MembershipEntity, { workspaceId: workspace.id, userId: owner.user.id, role: 'owner' })
  await em.flush()
  return workspace.id
}

export async function addMember(
  app: FastifyInstance,
  workspaceId: string,
  user: Session,
  role: Role,
) {
  const em = app.orm.em.fork()
  em.create(MembershipEntity, { workspaceId, userId: user.user.id, role })
  await em.flush()
}

export interface Team {
  workspaceId: string
  owner: Session
  member: Session
  outsider: Session
}

/** A workspace with an owner and a member, and a signed-in user who belongs to another workspace. */
export async function team(app: FastifyInstance): Promise<Team> {
  const owner = await newUser(app, 'Olivia Owner')
  const member = await newUser(app, 'Max Member')
  const outsider = await newUser(app, 'Otto Outsider')
  const workspaceId = await newWorkspace(app, owner)
  await addMember(app, workspaceId, member, 'member')
  await newWorkspace(app, outsider, 'Elsewhere')
  return { workspaceId, owner, member, outsider }
}
