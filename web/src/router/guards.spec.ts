import { describe, expect, it, vi } from 'vitest'
import type { RouteLocationNormalized, RouteMeta } from 'vue-router'
import type { WorkspaceWithRole } from '@cloudlink/shared'
import {
  appGuard,
  authGuard,
  enrolmentGuard,
  safeRedirect,
  setupGuard,
  workspaceGuard,
  type SessionPort,
} from './guards'

const OWNED: WorkspaceWithRole = { id: 'ws-owned', name: 'Acme', role: 'owner' }
const JOINED: WorkspaceWithRole = { id: 'ws-joined', name: 'Other', role: 'member' }

function route(
  name: string,
  meta: RouteMeta = {},
  params: Record<string, string> = {},
  fullPath = '/somewhere',
): RouteLocationNormalized {
  return {
    name,
    meta,
    params,
    fullPath,
    path: fullPath,
    query: {},
    hash: '',
    matched: [],
    redirectedFrom: undefined,
  } as RouteLocationNormalized
}

function session(overrides: Partial<SessionPort> = {}): SessionPort {
  return {
    setupNeeded: false,
    checked: true,
    signedIn: true,
    workspaces: [OWNED, JOINED],
    checkSetup: vi.fn(async () => false),
    restore: vi.fn(async () => true),
    selectWorkspace: vi.fn(),
    preferredWorkspaceId: () => OWNED.id,
    ...overrides,
  }
}

describe('setupGuard', () => {
  it('sends everything to setup while it is needed', async () => {
    const s = session({ setupNeeded: null, checkSetup: vi.fn(async () => true) })
    expect(await setupGuard(route('login', { access: 'public' }), s)).toEqual({ name: 'setup' })
    expect(s.checkSetup).toHaveBeenCalledOnce()
    expect(await setupGuard(route('setup'), session({ setupNeeded: true }))).toBe(true)
  })

  it('closes setup once it is done', async () => {
    expect(await setupGuard(route('setup'), session())).toEqual({ name: 'home' })
    expect(await setupGuard(route('login'), session())).toBe(true)
  })
})

describe('authGuard', () => {
  it('lets public pages through without a session', async () => {
    const s = session({ signedIn: false, restore: vi.fn(async () => false) })
    expect(await authGuard(route('invite', { access: 'public' }), s)).toBe(true)
    expect(s.restore).not.toHaveBeenCalled()
  })

  it('redirects to login with the destination when the session cannot be restored', async () => {
    const s = session({ signedIn: false, restore: vi.fn(async () => false) })
    const to = route('members', { access: 'member' }, {}, '/w/ws-owned/settings/members')
    expect(await authGuard(to, s)).toEqual({
      name: 'login',
      query: { redirect: '/w/ws-owned/settings/members' },
    })
  })

  it('restores an existing cookie session instead of asking to log in', async () => {
    const s = session({ signedIn: false, restore: vi.fn(async () => true) })
    expect(await authGuard(route('cloud-accounts', { access: 'member' }), s)).toBe(true)
  })

  it('skips the login page for someone already signed in', async () => {
    const s = session({ checked: false })
    expect(await authGuard(route('login', { access: 'public' }), s)).toEqual({ name: 'home' })
    expect(s.restore).toHaveBeenCalledOnce()
  })
})

describe('workspaceGuard', () => {
  it('opens the preferred workspace from home, or the no-workspace page', () => {
    expect(workspaceGuard(route('home'), session())).toEqual({
      name: 'cloud-accounts',
      params: { workspaceId: OWNED.id },
    })
    expect(workspaceGuard(route('home'), session({ preferredWorkspaceId: () => null }))).toEqual({
      name: 'no-workspace',
    })
  })

  it('selects a workspace the user belongs to and rejects others', () => {
    const s = session()
    expect(workspaceGuard(route('members', {}, { workspaceId: JOINED.id }), s)).toBe(true)
    expect(s.selectWorkspace).toHaveBeenCalledWith(JOINED.id)
    expect(workspaceGuard(route('members', {}, { workspaceId: 'nope' }), s)).toEqual({
      name: 'home',
    })
  })

  it('keeps members out of owner-only routes', () => {
    const to = route('audit', { access: 'owner' }, { workspaceId: JOINED.id })
    expect(workspaceGuard(to, session())).toEqual({
      name: 'owner-only',
      params: { workspaceId: JOINED.id },
      query: { page: 'audit' },
    })
    const owned = route('audit', { access: 'owner' }, { workspaceId: OWNED.id })
    expect(workspaceGuard(owned, session())).toBe(true)
  })
})

describe('appGuard', () => {
  it('runs setup, then auth, then workspace checks', async () => {
    const s = session({ signedIn: false, restore: vi.fn(async () => false) })
    expect(await appGuard(route('home', {}, {}, '/'), s)).toEqual({ name: 'login' })
    expect(await appGuard(route('home', {}, {}, '/'), session())).toEqual({
      name: 'cloud-accounts',
      params: { workspaceId: OWNED.id },
    })
  })
})

describe('safeRedirect', () => {
  it('accepts same-site paths only', () => {
    expect(safeRedirect('/w/1/audit')).toBe('/w/1/audit')
    expect(safeRedirect('//evil.example')).toBeNull()
    expect(safeRedirect('/\\evil.example')).toBeNull()
    expect(safeRedirect('https://evil.example')).toBeNull()
    expect(safeRedirect(undefined)).toBeNull()
  })
})

describe('enrolmentGuard', () => {
  it('sends a person who must enrol a second factor to Security, before anything else', () => {
    const must = session({ mfaEnrolmentRequired: true })
    expect(enrolmentGuard(route('cloud-accounts', {}, { workspaceId: 'ws-owned' }), must)).toEqual({
      name: 'security',
    })
    expect(enrolmentGuard(route('security'), must)).toBe(true)
    expect(enrolmentGuard(route('cloud-accounts'), session())).toBe(true)
  })
})
