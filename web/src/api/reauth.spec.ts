import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, setReauthHandler, setUnauthenticatedListener } from './client'
import { apiError, mockApi } from '@/test/api-mock'

afterEach(() => {
  setReauthHandler(null)
  setUnauthenticatedListener(null)
  vi.unstubAllGlobals()
})

const refused = apiError(403, 'REAUTH_REQUIRED', 'Confirm your password or a code')

describe('sudo mode in the api client', () => {
  it('asks for a confirmation on REAUTH_REQUIRED and retries the action once', async () => {
    const mock = mockApi()
      .once('POST', '/api/v1/workspaces/w/api-tokens', refused)
      .once('POST', '/api/v1/workspaces/w/api-tokens', { status: 201, body: { id: 't1' } })
    const handler = vi.fn(async () => true)
    setReauthHandler(handler)
    await expect(api.post('/api/v1/workspaces/w/api-tokens', { name: 'CI' })).resolves.toEqual({
      id: 't1',
    })
    expect(handler).toHaveBeenCalledTimes(1)
    expect(mock.calls.map((c) => c.body)).toEqual([{ name: 'CI' }, { name: 'CI' }])
    mock.verify()
  })

  it('keeps the refusal when the person cancels, and never loops', async () => {
    const mock = mockApi().on('PATCH', '/m', refused)
    setReauthHandler(async () => false)
    await expect(api.patch('/m', { role: 'owner' })).rejects.toMatchObject({
      code: 'REAUTH_REQUIRED',
    })
    expect(mock.calls).toHaveLength(1)
    setReauthHandler(async () => true)
    await expect(api.patch('/m', { role: 'owner' })).rejects.toMatchObject({
      code: 'REAUTH_REQUIRED',
    })
    expect(mock.calls).toHaveLength(3)
  })

  it('MFA_REQUIRED is the sign-in’s second step, not an ended session', async () => {
    mockApi().on(
      'POST',
      '/api/v1/auth/login',
      apiError(401, 'MFA_REQUIRED', 'Enter a code', { mfaToken: 'x'.repeat(43) }),
    )
    const signedOut = vi.fn()
    setUnauthenticatedListener(signedOut)
    await expect(api.post('/api/v1/auth/login', {})).rejects.toMatchObject({
      code: 'MFA_REQUIRED',
      details: { mfaToken: 'x'.repeat(43) },
    })
    expect(signedOut).not.toHaveBeenCalled()
  })
})
