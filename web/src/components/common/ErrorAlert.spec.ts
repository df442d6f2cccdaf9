import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ErrorAlert from './ErrorAlert.vue'
import { ApiError } from '@/api/client'

describe('ErrorAlert', () => {
  it('keeps the request id out of the sentence, in a Details disclosure', () => {
    const wrapper = mount(ErrorAlert, {
      props: {
        error: new ApiError({ status: 500, code: 'INTERNAL', message: 'x', requestId: 'req-42' }),
      },
    })
    const title = wrapper.get('.alert__title').text()
    expect(title).toMatch(/^Something went wrong on our side/)
    expect(title).not.toContain('req-42')
    const details = wrapper.get('details')
    expect(details.get('summary').text()).toBe('Details')
    expect(details.get('[data-testid="request-id"]').text()).toBe('Request ID: req-42')
    expect(details.text()).toContain('Error code: INTERNAL')
  })

  it('says the cause the server names, and moves its own words into the details', () => {
    const wrapper = mount(ErrorAlert, {
      props: {
        error: new ApiError({
          status: 409,
          code: 'CONFLICT',
          message: 'The last owner cannot be demoted; make someone else an owner first',
          details: { reason: 'last_owner' },
          requestId: 'req-1',
        }),
      },
    })
    expect(wrapper.get('.alert__title').text()).toMatch(/^A workspace needs at least one owner/)
    expect(wrapper.find('[data-testid="error-message"]').exists()).toBe(false)
    expect(wrapper.get('details').text()).toContain('The last owner cannot be demoted')
  })

  it("keeps the server's words in view where the code's sentence is generic", () => {
    const wrapper = mount(ErrorAlert, {
      props: {
        error: new ApiError({
          status: 409,
          code: 'CONFLICT',
          message: 'Setup is already complete',
        }),
      },
    })
    expect(wrapper.get('[data-testid="error-message"]').text()).toBe('Setup is already complete')
    expect(wrapper.find('details').exists()).toBe(false)
  })

  it('lists the fields to fix', () => {
    const wrapper = mount(ErrorAlert, {
      props: {
        error: new ApiError({
          status: 400,
          code: 'VALIDATION_FAILED',
          message: 'label: is required',
          details: [{ field: 'label', message: 'is required' }],
        }),
      },
    })
    expect(wrapper.get('li').text()).toBe('label is required')
  })
})
