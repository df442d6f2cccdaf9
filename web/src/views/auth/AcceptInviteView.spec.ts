import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import AcceptInviteView from './AcceptInviteView.vue'
import { mockApi } from '@/test/api-mock'

const TOKEN = 'a'.repeat(43)

async function mountInvite(reason: string) {
  const api = mockApi()
    .on('GET', `/api/v1/invitations/${TOKEN}`, {
      status: 404,
      body: {
        statusCode: 404,
        code: 'NOT_FOUND',
        message: 'gone',
        requestId: 'req-1',
        details: { reason },
      },
    })
    .on('GET', '/api/v1/me', {
      status: 401,
      body: { statusCode: 401, code: 'UNAUTHENTICATED', message: 'no', requestId: 'r' },
    })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/invite/:token', name: 'invite', component: AcceptInviteView },
      { path: '/login', name: 'login', component: { template: '<p />' } },
    ],
  })
  await router.push(`/invite/${TOKEN}`)
  await router.isReady()
  const pinia = createPinia()
  setActivePinia(pinia)
  const wrapper = mount(AcceptInviteView, { global: { plugins: [pinia, router] } })
  await flushPromises()
  api.verify()
  return wrapper
}

describe('AcceptInviteView', () => {
  afterEach(() => vi.unstubAllGlobals())

  it.each([
    ['invitation_used', 'This invitation was already used', /already accepted/],
    ['invitation_expired', 'This invitation has expired', /links work for 7 days/],
    ['invitation_invalid', "This invitation can't be used", /isn't valid/],
  ])('a link that is %s says which', async (reason, title, sentence) => {
    const wrapper = await mountInvite(reason)
    expect(wrapper.get('h1').text()).toBe(title)
    expect(wrapper.get('[data-testid="invitation-reason"]').text()).toMatch(sentence)
  })
})
