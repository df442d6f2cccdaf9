import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setActivePinia } from 'pinia'
import { createTestingPinia } from '@pinia/testing'
import { useNotificationsStore } from './notifications'
import { apiError, mockApi } from '@/test/api-mock'
import { WEBHOOK_ID, WS, makeDelivery, makeWebhook } from '@/test/fixtures'

const base = `/api/v1/workspaces/${WS}`
let api: ReturnType<typeof mockApi>

beforeEach(() => {
  setActivePinia(createTestingPinia({ createSpy: vi.fn, stubActions: false }))
  api = mockApi()
})
afterEach(() => {
  api.verify()
  vi.unstubAllGlobals()
})

const loaded = async () => {
  api
    .once('GET', `${base}/webhooks`, { status: 200, body: { items: [] } })
    .once('GET', `${base}/notifications/settings`, {
      status: 200,
      body: { email: true, mailConfigured: true },
    })
  const store = useNotificationsStore()
  await store.load(WS)
  return store
}

describe('notifications store', () => {
  it('loads webhooks and the owner email setting together', async () => {
    const store = await loaded()
    expect(store.loaded).toBe(true)
    expect(store.settings).toEqual({ email: true, mailConfigured: true })
  })

  it('keeps a new secret until dismissed, never in the list', async () => {
    const store = await loaded()
    const secret = `whsec_${'A'.repeat(43)}=`
    api.once('POST', `${base}/webhooks`, { status: 201, body: { ...makeWebhook(), secret } })
    await store.create({ url: 'https://hooks.example.com/cloudlink', events: ['account.expired'] })
    expect(store.created?.secret).toBe(secret)
    expect(store.webhooks).toHaveLength(1)
    expect(JSON.stringify(store.webhooks)).not.toContain(secret)
    store.forgetSecret()
    expect(store.created).toBeNull()
  })

  it('switches email off, toggles a webhook, tests it and reads its log', async () => {
    const store = await loaded()
    store.webhooks = [makeWebhook()]
    api
      .once('PATCH', `${base}/notifications/settings`, (body) => {
        expect(body).toEqual({ email: false })
        return { status: 200, body: { email: false, mailConfigured: true } }
      })
      .once('PATCH', `${base}/webhooks/${WEBHOOK_ID}`, (body) => {
        expect(body).toEqual({ enabled: false })
        return { status: 200, body: makeWebhook({ enabled: false }) }
      })
      .once('POST', `${base}/webhooks/${WEBHOOK_ID}/test`, { status: 202, body: { id: 'e1' } })
      .once('GET', `${base}/webhooks/${WEBHOOK_ID}/deliveries`, {
        status: 200,
        body: { items: [makeDelivery()] },
      })
    await store.setEmail(false)
    expect(store.settings?.email).toBe(false)
    await store.update(WEBHOOK_ID, { enabled: false })
    expect(store.webhooks[0]?.enabled).toBe(false)
    expect(await store.sendTest(WEBHOOK_ID)).toBe('e1')
    await store.loadDeliveries(WEBHOOK_ID)
    expect(store.deliveries[WEBHOOK_ID]).toHaveLength(1)
  })

  it('a refused URL reaches the caller and adds nothing', async () => {
    const store = await loaded()
    api.once(
      'POST',
      `${base}/webhooks`,
      apiError(400, 'VALIDATION_FAILED', 'url: must be an https:// URL', [
        { field: 'url', message: 'must be an https:// URL' },
      ]),
    )
    await expect(
      store.create({ url: 'http://10.0.0.1/', events: ['account.expired'] }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
    expect(store.webhooks).toHaveLength(0)
    expect(store.created).toBeNull()
  })
})
