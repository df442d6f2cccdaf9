import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import TotpPanel from './TotpPanel.vue'
import { apiError, mockApi } from '@/test/api-mock'

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
const enrolment = {
  secret: SECRET,
  otpauthUrl: `otpauth://totp/Cloudlink:ada%40example.com?issuer=Cloudlink&secret=${SECRET}&algorithm=SHA1&digits=6&period=30`,
}
const codes = Array.from({ length: 10 }, (_, i) => `abcd-efgh-jk${String(i).padStart(2, '2')}`)

afterEach(() => vi.unstubAllGlobals())

describe('TotpPanel', () => {
  it('sets up the app: QR code and key, confirmed by a code; recovery codes shown once', async () => {
    const api = mockApi()
      .once('POST', '/api/v1/me/mfa/totp', { status: 200, body: enrolment })
      .once(
        'POST',
        '/api/v1/me/mfa/totp/confirm',
        apiError(400, 'VALIDATION_FAILED', 'code: is not the current code', [
          { field: 'code', message: 'is not the current code of your authenticator app' },
        ]),
      )
      .once('POST', '/api/v1/me/mfa/totp/confirm', {
        status: 200,
        body: { recoveryCodes: codes },
      })
    const wrapper = mount(TotpPanel, {
      props: { enabled: false, codesLeft: 0 },
      attachTo: document.body,
    })
    expect(wrapper.get('[data-testid="totp-status"]').text()).toContain('Add an authenticator app')
    await wrapper.get('button.btn--primary').trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('img').exists()).toBe(true))
    expect(wrapper.get('img').attributes('src')).toMatch(/^data:image\/png;base64,/)
    expect((wrapper.get('.copy__input').element as HTMLInputElement).value).toBe(SECRET)

    await wrapper.get('#totp-code').setValue('000000')
    await wrapper.get('[data-testid="totp-enrol"]').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-testid="error-alert"]').text()).toContain('code')
    expect(wrapper.emitted('changed')).toBeUndefined()

    await wrapper.get('#totp-code').setValue(' 123 456 ')
    await wrapper.get('[data-testid="totp-enrol"]').trigger('submit')
    await flushPromises()
    expect(api.calls.at(-1)?.body).toEqual({ code: '123 456' })
    const shown = wrapper.findAll('[data-testid="recovery-codes"] li').map((li) => li.text())
    expect(shown).toEqual(codes)
    expect(wrapper.emitted('changed')).toHaveLength(1)
    await wrapper.get('[data-testid="recovery-codes"] .btn--primary').trigger('click')
    expect(wrapper.find('[data-testid="recovery-codes"]').exists()).toBe(false)
    expect(wrapper.text()).not.toContain(codes[0])
    api.verify()
    wrapper.unmount()
  })

  it('turns it off with a code', async () => {
    const api = mockApi().once('DELETE', '/api/v1/me/mfa/totp', { status: 204 })
    const wrapper = mount(TotpPanel, {
      props: { enabled: true, codesLeft: 7 },
      attachTo: document.body,
    })
    expect(wrapper.text()).toContain('7 recovery codes left')
    await wrapper.get('button[aria-haspopup="dialog"]').trigger('click')
    await wrapper.get('#totp-off-code').setValue('654321')
    await wrapper.get('#totp-off-form').trigger('submit')
    await flushPromises()
    expect(api.calls[0]?.body).toEqual({ code: '654321' })
    expect(wrapper.emitted('changed')?.[0]).toEqual(['The second factor is off.'])
    api.verify()
    wrapper.unmount()
  })
})
