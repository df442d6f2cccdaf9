import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { ApiError } from '@/api/client'
import { useAction } from './use-action'

/** A form-like host: a button that runs whatever the test hands it, and what a user would see. */
function mountHost(work: () => Promise<unknown>) {
  const Host = defineComponent({
    setup() {
      const action = useAction()
      return () =>
        h('div', [
          h('button', { disabled: action.busy.value, onClick: () => action.run(work) }, 'Save'),
          action.error.value ? h('p', { role: 'alert' }, action.error.value.code) : null,
          h('button', { id: 'reset', onClick: action.reset }, 'Reset'),
        ])
    },
  })
  return mount(Host)
}

/** A promise the test settles by hand, to look at the component while the work runs. */
function deferred() {
  let resolve!: () => void
  let reject!: (err: unknown) => void
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('useAction', () => {
  it('is busy while the work runs and clears the error when it succeeds', async () => {
    const first = deferred()
    const second = deferred()
    const pending = [first, second]
    const wrapper = mountHost(() => pending.shift()!.promise)
    const save = () => wrapper.get('button')

    await save().trigger('click')
    expect(save().attributes('disabled')).toBeDefined()
    first.reject(new ApiError({ status: 409, code: 'CONFLICT', message: 'Taken' }))
    await flushPromises()
    expect(save().attributes('disabled')).toBeUndefined()
    expect(wrapper.get('[role="alert"]').text()).toBe('CONFLICT')

    await save().trigger('click')
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
    second.resolve()
    await flushPromises()
    expect(save().attributes('disabled')).toBeUndefined()
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
  })

  it('keeps anything thrown as an ApiError, and reset forgets it', async () => {
    const wrapper = mountHost(() => Promise.reject(new TypeError('fetch failed')))
    await wrapper.get('button').trigger('click')
    await flushPromises()
    expect(wrapper.get('[role="alert"]').text()).toBe('UNKNOWN')
    await wrapper.get('#reset').trigger('click')
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
  })

  it('resolves true after success and false after a failure', async () => {
    const action = useAction()
    await expect(action.run(async () => 'done')).resolves.toBe(true)
    await expect(
      action.run(async () => {
        throw new ApiError({ status: 502, code: 'PROVIDER_UNREACHABLE', message: 'No answer' })
      }),
    ).resolves.toBe(false)
    expect(action.error.value?.code).toBe('PROVIDER_UNREACHABLE')
    expect(action.busy.value).toBe(false)
  })
})
