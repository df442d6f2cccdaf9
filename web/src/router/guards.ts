import type { RouteLocationNormalized, RouteLocationRaw } from 'vue-router'
import type { Access, WorkspaceWithRole } from '@cloudlink/shared'

declare module 'vue-router' {
  interface RouteMeta {
    /** Who may open the route; children inherit it. Defaults to any signed-in user. */
    access?: Access
  }
}

/** What the guards need from the session store (a plain object in tests). */
export interface SessionPort {
  readonly setupNeeded: boolean | null
  readonly checked: boolean
  readonly signedIn: boolean
  readonly workspaces: readonly WorkspaceWithRole[]
  /** A workspace requires a second factor the person lacks: enrolment comes first. */
  readonly mfaEnrolmentRequired?: boolean
  checkSetup(): Promise<boolean>
  restore(): Promise<boolean>
  selectWorkspace(id: string | null): void
  preferredWorkspaceId(): string | null
}

export type GuardResult = true | RouteLocationRaw

const param = (to: RouteLocationNormalized, name: string): string | null => {
  const value = to.params[name]
  return typeof value === 'string' && value ? value : null
}

/** Until the first owner exists, every page leads to setup; afterwards setup is gone. */
export async function setupGuard(
  to: RouteLocationNormalized,
  session: SessionPort,
): Promise<GuardResult> {
  const needed = session.setupNeeded ?? (await session.checkSetup())
  if (needed) return to.name === 'setup' ? true : { name: 'setup' }
  if (to.name === 'setup') return { name: 'home' }
  return true
}

/** Signed-out visitors go to login (remembering where they were going); signed-in ones skip it. */
export async function authGuard(
  to: RouteLocationNormalized,
  session: SessionPort,
): Promise<GuardResult> {
  const access = to.meta.access ?? 'user'
  if (access === 'public') {
    if (to.name !== 'login') return true
    if (!session.checked) await session.restore()
    return session.signedIn ? { name: 'home' } : true
  }
  if (session.signedIn || (await session.restore())) return true
  return to.name === 'home' || to.fullPath === '/'
    ? { name: 'login' }
    : { name: 'login', query: { redirect: to.fullPath } }
}

/** Resolves the workspace in the URL (or picks one), and keeps members out of owner-only pages. */
export function workspaceGuard(to: RouteLocationNormalized, session: SessionPort): GuardResult {
  if (to.name === 'home' || to.name === 'settings-shortcut') {
    const id = session.preferredWorkspaceId()
    if (!id) return { name: 'no-workspace' }
    if (to.name === 'home') return { name: 'cloud-accounts', params: { workspaceId: id } }
    const section = to.params.section
    const rest = Array.isArray(section) ? section.join('/') : (section ?? '')
    return { path: `/w/${id}/settings/${rest}`.replace(/\/$/, ''), query: to.query }
  }
  const workspaceId = param(to, 'workspaceId')
  if (!workspaceId) return true
  const workspace = session.workspaces.find((w) => w.id === workspaceId)
  if (!workspace) return { name: 'home' }
  // Not a silent redirect: a page that says it is for owners, and which one was asked for.
  if (to.meta.access === 'owner' && workspace.role !== 'owner')
    return { name: 'owner-only', params: { workspaceId }, query: { page: String(to.name ?? '') } }
  session.selectWorkspace(workspaceId)
  return true
}

/** The one global guard: setup first, then authentication, then the workspace. */
export async function appGuard(
  to: RouteLocationNormalized,
  session: SessionPort,
): Promise<GuardResult> {
  const setup = await setupGuard(to, session)
  if (setup !== true) return setup
  const auth = await authGuard(to, session)
  if (auth !== true) return auth
  if ((to.meta.access ?? 'user') === 'public') return true
  const enrol = enrolmentGuard(to, session)
  if (enrol !== true) return enrol
  return workspaceGuard(to, session)
}

/** Before anything else, a person a workspace requires a second factor of sets one up. */
export function enrolmentGuard(to: RouteLocationNormalized, session: SessionPort): GuardResult {
  if (!session.mfaEnrolmentRequired || to.name === 'security') return true
  return { name: 'security' }
}

/** Only same-site paths are followed after login, never `//evil.example` or absolute URLs. */
export function safeRedirect(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) return null
  if (value.startsWith('/\\')) return null
  return value
}
