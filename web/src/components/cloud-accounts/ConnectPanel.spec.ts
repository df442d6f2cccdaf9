import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ConnectPanel from './ConnectPanel.vue'
import type { Provider } from '@cloudlink/shared'
import { ApiError } from '@/api/client'
import { VALID_TOKEN, makeAccount, makeProvider, transip } from '@/test/fixtures'

const rejected = new ApiError({
  status: 422,
  code: 'PROVIDER_REJECTED',
  message: 'The provider rejected the credential',
  requestId: 'req-9',
  details: {
    reason: 'Token is invalid or revoked',
    providerStatus: 401,
    providerCode: 'unauthorized',
  },
})
const unreachable = new ApiError({
  status: 502,
  code: 'PROVIDER_UNREACHABLE',
  message: 'Provider did not answer',
  details: { reason: 'timeout', retryAfter: 30 },
})

function mountPanel(props: Record<string, unknown> = {}) {
  return mount(ConnectPanel, {
    props: { provider: makeProvider(), ...props },
    attachTo: document.body,
  })
}

async function fill(wrapper: ReturnType<typeof mountPanel>, label: string, token: string) {
  await wrapper.get('input[name="label"]').setValue(label)
  await wrapper.get('input[name="token"]').setValue(token)
}

describe('ConnectPanel', () => {
  it('guides: console link, permissions, and inputs built from provider.fields', () => {
    const wrapper = mount(ConnectPanel, { props: { provider: transip() } })
    const link = wrapper.get('a[href="https://console.hetzner.cloud/projects"]')
    expect(link.attributes('rel')).toBe('noopener noreferrer')
    expect(link.attributes('target')).toBe('_blank')
    expect(wrapper.get('[data-testid="permissions"]').text()).toContain('API access enabled')
    expect(wrapper.get('input[name="login"]').attributes('type')).toBe('text')
    expect(wrapper.find('textarea[name="privateKey"]').exists()).toBe(true)
    expect(wrapper.find('label[for]').text()).toBe('Label')
    expect(wrapper.text()).toContain('Private key')
  })

  it('checks the format as you type', async () => {
    const wrapper = mountPanel()
    const input = wrapper.get('input[name="token"]')
    await input.setValue('too-short')
    const feedback = () => wrapper.get('[data-field="token"] [data-testid="field-feedback"]')
    expect(feedback().text()).toContain("doesn't look like a valid API token")
    expect(input.attributes('aria-invalid')).toBe('true')
    expect(input.attributes('aria-describedby')).toContain(feedback().attributes('id'))
    await input.setValue(VALID_TOKEN)
    expect(feedback().text()).toContain('Format looks right')
    expect(input.attributes('aria-invalid')).toBe('false')
    wrapper.unmount()
  })

  it('masks secrets with a show/hide toggle', async () => {
    const wrapper = mountPanel()
    const input = () => wrapper.get('input[name="token"]')
    const toggle = wrapper.get('button[aria-controls]')
    expect(input().attributes('type')).toBe('password')
    expect(toggle.attributes('aria-label')).toBe('Show API token')
    await toggle.trigger('click')
    expect(input().attributes('type')).toBe('text')
    expect(toggle.attributes('aria-pressed')).toBe('true')
    expect(toggle.attributes('aria-label')).toBe('Hide API token')
    await toggle.trigger('click')
    expect(input().attributes('type')).toBe('password')
    wrapper.unmount()
  })

  it('emits connect with the label and trimmed credentials', async () => {
    const wrapper = mountPanel()
    await fill(wrapper, ' Production ', `${VALID_TOKEN}\n`)
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('connect')).toEqual([
      [{ provider: 'hetzner-cloud', label: 'Production', credentials: { token: VALID_TOKEN } }],
    ])
    wrapper.unmount()
  })

  it('does not emit while required fields are missing or malformed', async () => {
    const wrapper = mountPanel()
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('connect')).toBeUndefined()
    expect(wrapper.text()).toContain('Label is required.')
    expect(wrapper.text()).toContain('API token is required.')
    await fill(wrapper, 'x', 'bad')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('connect')).toBeUndefined()
    wrapper.unmount()
  })

  it('shows progress while verifying and ignores a second submit', async () => {
    const wrapper = mountPanel()
    await fill(wrapper, 'Production', VALID_TOKEN)
    await wrapper.setProps({ busy: true })
    expect(wrapper.get('[data-testid="connect-progress"]').text()).toBe(
      'Verifying with Hetzner Cloud…',
    )
    expect(wrapper.get('[data-testid="connect-panel"]').attributes('aria-busy')).toBe('true')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('connect')).toBeUndefined()
    wrapper.unmount()
  })

  it("shows the provider's rejection reason inline and keeps the label", async () => {
    const wrapper = mountPanel()
    await fill(wrapper, 'Production', VALID_TOKEN)
    await wrapper.get('form').trigger('submit')
    await wrapper.setProps({ busy: true })
    await wrapper.setProps({ busy: false, error: rejected })
    const alert = wrapper.get('[data-testid="provider-rejected"]')
    expect(alert.attributes('role')).toBe('alert')
    expect(alert.text()).toContain('Hetzner Cloud rejected this credential')
    expect(alert.get('[data-testid="rejection-reason"]').text()).toBe('Token is invalid or revoked')
    expect(alert.text()).toContain('Nothing was saved')
    expect(alert.text()).toContain('HTTP 401, unauthorized')
    expect((wrapper.get('input[name="label"]').element as HTMLInputElement).value).toBe(
      'Production',
    )
    wrapper.unmount()
  })

  it("says it couldn't reach the provider and retries with the same payload", async () => {
    const wrapper = mountPanel()
    await fill(wrapper, 'Production', VALID_TOKEN)
    await wrapper.get('form').trigger('submit')
    await wrapper.setProps({ error: unreachable })
    const alert = wrapper.get('[data-testid="provider-unreachable"]')
    expect(alert.text()).toContain("Couldn't reach Hetzner Cloud")
    expect(alert.text()).toContain('took too long')
    expect(alert.text()).toContain('Try again in 30 s.')
    await alert.get('button').trigger('click')
    const emitted = wrapper.emitted('connect')!
    expect(emitted).toHaveLength(2)
    expect(emitted[1]).toEqual(emitted[0])
    wrapper.unmount()
  })

  it('reconnect mode keeps the old credential and offers "connect anyway" on a mismatch', async () => {
    const wrapper = mountPanel({ mode: 'reconnect', account: makeAccount() })
    expect(wrapper.get('h2').text()).toBe('Reconnect Production')
    expect(wrapper.get('[data-testid="reconnect-note"]').text()).toContain('stays in place until')
    expect(wrapper.find('input[name="label"]').exists()).toBe(false)
    await wrapper.get('input[name="token"]').setValue(VALID_TOKEN)
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('reconnect')?.[0]).toEqual([{ credentials: { token: VALID_TOKEN } }])

    await wrapper.setProps({
      error: new ApiError({ status: 409, code: 'ACCOUNT_MISMATCH', message: 'Different project' }),
    })
    await wrapper.get('[data-testid="account-mismatch"] button').trigger('click')
    expect(wrapper.emitted('reconnect')?.[1]).toEqual([
      { credentials: { token: VALID_TOKEN }, allowAccountChange: true },
    ])
    wrapper.unmount()
  })

  it('shows the notes of an OAuth provider that is not available', () => {
    const wrapper = mount(ConnectPanel, {
      props: {
        provider: makeProvider({
          id: 'azure',
          name: 'Microsoft Azure',
          authType: 'oauth',
          fields: [],
          available: false,
          notes: 'Set OAUTH_AZURE_CLIENT_ID to enable.',
        }),
      },
    })
    expect(wrapper.get('[data-testid="provider-notes"]').text()).toBe(
      'Set OAUTH_AZURE_CLIENT_ID to enable.',
    )
    expect(wrapper.find('form').exists()).toBe(false)
  })

  it('links an available OAuth provider to its start URL', async () => {
    const wrapper = mount(ConnectPanel, {
      props: {
        provider: makeProvider({ id: 'gcp', name: 'Google Cloud', authType: 'oauth', fields: [] }),
        workspaceId: 'ws-1',
      },
    })
    await wrapper.get('input[name="label"]').setValue('Prod GCP')
    expect(wrapper.get('[data-testid="oauth-start"]').attributes('href')).toBe(
      '/api/v1/oauth/gcp/start?workspaceId=ws-1&label=Prod+GCP',
    )
  })

  it('fills a sandbox demo credential', async () => {
    const wrapper = mountPanel({
      demoCredentials: [
        { provider: 'hetzner-cloud', kind: 'good', credentials: { token: VALID_TOKEN } },
      ],
    })
    await wrapper.get('[data-testid="demo-credentials"] button').trigger('click')
    expect((wrapper.get('input[name="token"]').element as HTMLInputElement).value).toBe(VALID_TOKEN)
    wrapper.unmount()
  })

  describe('a provider that connects both ways (DigitalOcean)', () => {
    const digitalocean = (oauth: Provider['oauth'] = { available: true }) =>
      makeProvider({ id: 'digitalocean', name: 'DigitalOcean', oauth })

    it('starts with the credential and switches to one click', async () => {
      const wrapper = mount(ConnectPanel, {
        props: { provider: digitalocean(), workspaceId: 'ws-1' },
      })
      const choices = wrapper.findAll('[data-testid="connect-methods"] input[type="radio"]')
      expect(choices.map((c) => (c.element as HTMLInputElement).checked)).toEqual([true, false])
      expect(wrapper.find('input[name="token"]').exists()).toBe(true)
      expect(wrapper.find('[data-testid="oauth-start"]').exists()).toBe(false)

      await choices[1]!.setValue(true)
      expect(wrapper.get('[data-testid="connect-panel"]').attributes('data-method')).toBe('oauth')
      expect(wrapper.find('input[name="token"]').exists()).toBe(false)
      await wrapper.get('input[name="label"]').setValue('DO one click')
      expect(wrapper.get('[data-testid="oauth-start"]').attributes('href')).toBe(
        '/api/v1/oauth/digitalocean/start?workspaceId=ws-1&label=DO+one+click',
      )
    })

    it('opens on one click when the card asked for it', () => {
      const wrapper = mount(ConnectPanel, {
        props: { provider: digitalocean(), method: 'oauth', workspaceId: 'ws-1' },
      })
      expect(wrapper.get('[data-testid="oauth-start"]').text()).toBe('Continue to DigitalOcean')
      expect(wrapper.get('[data-testid="oauth-start"]').attributes('href')).toBe(
        '/api/v1/oauth/digitalocean/start?workspaceId=ws-1&label=DigitalOcean',
      )
    })

    it('a one-click reconnect names the account whose grant it replaces', () => {
      const account = makeAccount({ provider: 'digitalocean' })
      const wrapper = mount(ConnectPanel, {
        props: {
          provider: digitalocean(),
          mode: 'reconnect',
          method: 'oauth',
          account,
          workspaceId: 'ws-1',
        },
      })
      expect(wrapper.find('input[name="label"]').exists()).toBe(false)
      const href = new URL(
        wrapper.get('[data-testid="oauth-start"]').attributes('href')!,
        'http://x',
      )
      expect(href.searchParams.get('accountId')).toBe(account.id)
      // It asks for a sign-in, not a name or a pasted credential, and says so.
      expect(wrapper.get('h3').text()).toBe('Sign in at DigitalOcean again')
      expect(wrapper.get('[data-testid="reconnect-note"]').text()).toContain(
        'The current access stays in place until DigitalOcean grants new access',
      )
      expect(wrapper.text()).not.toContain('Name it and continue')
      expect(wrapper.text()).not.toContain('Credential on file')
    })

    it('says when one click is not set up here, and keeps the credential way open', async () => {
      const wrapper = mount(ConnectPanel, {
        props: {
          provider: digitalocean({ available: false, note: 'Set OAUTH_DIGITALOCEAN_CLIENT_ID.' }),
          method: 'oauth',
        },
      })
      expect(wrapper.get('[data-testid="provider-unavailable"]').text()).toContain(
        'One-click connect for DigitalOcean is not set up',
      )
      expect(wrapper.get('[data-testid="provider-notes"]').text()).toBe(
        'Set OAUTH_DIGITALOCEAN_CLIENT_ID.',
      )
      await wrapper.findAll('[data-testid="connect-methods"] input')[0]!.setValue(true)
      expect(wrapper.find('[data-testid="provider-unavailable"]').exists()).toBe(false)
      expect(wrapper.find('input[name="token"]').exists()).toBe(true)
    })
  })
})
