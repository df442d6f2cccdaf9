import { createRouter, createWebHistory, START_LOCATION, type RouteRecordRaw } from 'vue-router'
import { useSessionStore } from '@/stores/session'
import { useCloudAccountsStore } from '@/stores/cloud-accounts'
import { useProvidersStore } from '@/stores/providers'
import { appGuard } from './guards'
import { hasSessionCookie } from '@/api/client'

/** A route that names a state of its parent page and renders nothing itself. */
const RouteState = { render: () => null }

// Every view is its own chunk, so each page downloads only what it shows.
const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('@/views/workspace/NoWorkspaceView.vue') },
  {
    path: '/setup',
    name: 'setup',
    component: () => import('@/views/auth/SetupView.vue'),
    meta: { access: 'public' },
  },
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/auth/LoginView.vue'),
    meta: { access: 'public' },
  },
  {
    path: '/invite/:token',
    name: 'invite',
    component: () => import('@/views/auth/AcceptInviteView.vue'),
    meta: { access: 'public' },
  },
  {
    path: '/reset-password/:token',
    name: 'reset-password',
    component: () => import('@/views/auth/ResetPasswordView.vue'),
    meta: { access: 'public' },
  },
  {
    path: '/security',
    name: 'security',
    component: () => import('@/views/account/SecurityView.vue'),
  },
  {
    path: '/welcome',
    name: 'no-workspace',
    component: () => import('@/views/workspace/NoWorkspaceView.vue'),
  },
  {
    path: '/w/:workspaceId',
    meta: { access: 'member' },
    children: [
      { path: '', redirect: { name: 'cloud-accounts' } },
      {
        path: 'settings',
        component: () => import('@/views/settings/SettingsView.vue'),
        children: [
          { path: '', redirect: { name: 'cloud-accounts' } },
          { path: 'connections', redirect: { name: 'cloud-accounts' } },
          { path: 'cloud-accounts', redirect: { name: 'cloud-accounts' } },
          {
            // The connect panel has an address of its own; the page is the same (the children
            // render nothing, they only name the state).
            path: 'connections/cloud-accounts',
            component: () => import('@/views/settings/CloudAccountsView.vue'),
            children: [
              { path: '', name: 'cloud-accounts', component: RouteState },
              { path: 'connect/:provider', name: 'cloud-accounts-connect', component: RouteState },
            ],
          },
          {
            path: 'members',
            name: 'members',
            component: () => import('@/views/settings/MembersView.vue'),
          },
          {
            path: 'api-tokens',
            name: 'api-tokens',
            component: () => import('@/views/settings/ApiTokensView.vue'),
            meta: { access: 'owner' },
          },
          {
            path: 'notifications',
            name: 'notifications',
            component: () => import('@/views/settings/NotificationsView.vue'),
            meta: { access: 'owner' },
          },
        ],
      },
      {
        path: 'owner-only',
        name: 'owner-only',
        component: () => import('@/views/workspace/OwnerOnlyView.vue'),
      },
      {
        path: 'audit',
        name: 'audit',
        component: () => import('@/views/audit/AuditView.vue'),
        meta: { access: 'owner' },
      },
      {
        path: 'audit/broker-calls',
        name: 'broker-calls',
        component: () => import('@/views/audit/BrokerCallsView.vue'),
        meta: { access: 'owner' },
      },
    ],
  },
  // Short links without a workspace (e.g. /settings/members) open the last-used workspace.
  {
    path: '/settings/:section(.*)*',
    name: 'settings-shortcut',
    component: () => import('@/views/workspace/NoWorkspaceView.vue'),
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/views/NotFoundView.vue'),
    meta: { access: 'public' },
  },
]

export function createAppRouter() {
  const router = createRouter({
    history: createWebHistory(),
    routes,
    scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
  })
  router.beforeEach((to, from) => {
    // On the first visit to the accounts page its data is fetched while the guards still check
    // the session, instead of after: one round trip saved on the page people open most. Only
    // with a session cookie, so a signed-out visitor sends nothing that is bound to fail.
    const workspaceId = to.params.workspaceId
    if (
      from === START_LOCATION &&
      (to.name === 'cloud-accounts' || to.name === 'cloud-accounts-connect') &&
      typeof workspaceId === 'string' &&
      hasSessionCookie()
    ) {
      void useCloudAccountsStore().load(workspaceId, { reuse: true })
      void useProvidersStore().load()
    }
    return appGuard(to, useSessionStore())
  })
  return router
}
