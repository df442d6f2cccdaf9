import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, api, setUnauthenticatedListener } from './client'
import { apiError, mockApi } from '@/test/api-mock'

afterEach(() => {
  document.cookie = 'cl_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/'
  setUnauthenticatedListener(null)
  vi.unstubAllGlobals()
})

describe('api client', () => {
  it('returns the parsed body and encodes the query', async () => {
    const mock = mockApi().on('GET', '/api/v1/things?limit=5', { status: 200, body: { ok: 1 } })
    await expect(
      api.get('/api/v1/things', { query: { limit: 5, cursor: undefined } }),
    ).resolves.toEqual({
      ok: 1,
    })
    mock.verify()
  })

  it('sends the CSRF cookie value as X-CSRF-Token on unsafe methods only', async () => {
    document.cookie = 'cl_csrf=abc%3D123; path=/'
    const mock = mockApi()
      .on('POST', '/x', { status: 204 })
      .on('GET', '/y', { status: 200, body: {} })
    await api.post('/x', { a: 1 })
    await api.get('/y')
    expect(mock.calls[0]?.headers['x-csrf-token']).toBe('abc=123')
    expect(mock.calls[0]?.body).toEqual({ a: 1 })
    expect(mock.calls[1]?.headers['x-csrf-token']).toBeUndefined()
  })

  it('turns the error envelope into an ApiError with code, message, requestId and details', async () => {
    mockApi().on(
      'POST',
      '/z',
      apiError(422, 'PROVIDER_REJECTED', 'Provider rejected', {
        reason: 'bad token',
        providerStatus: 401,
      }),
    )
    const error = await api.post('/z').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({
      status: 422,
      code: 'PROVIDER_REJECTED',
      message: 'Provider rejected',
      requestId: 'req-1',
      details: { reason: 'bad token', providerStatus: 401 },
    })
  })

  it('reports network failures as NETWORK and 401s to the listener', async () => {
    const listener = vi.fn()
    setUnauthenticatedListener(listener)
    mockApi().on('GET', '/me', apiError(401, 'UNAUTHENTICATED', 'no'))
    await expect(api.get('/me')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    expect(listener).toHaveBeenCalledOnce()

    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')))
    await expect(api.get('/down')).rejects.toMatchObject({ status: 0, code: 'NETWORK' })
  })

  it('gives non-JSON errors a status-based ApiError', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(new Response('<html>', { status: 502, statusText: 'Bad Gateway' })),
    )
    await expect(api.get('/proxy')).rejects.toMatchObject({ status: 502, code: 'UNKNOWN' })
  })
})
