import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import type { CapabilityAccess } from '@cloudlink/shared'
import AccessSummary from './AccessSummary.vue'
import AccessChips from './AccessChips.vue'

const at = '2026-12-05T10:00:00.000Z'
const proven = (
  level: CapabilityAccess['level'],
  missing: string[] = [],
  evidence = 'GET /v2/account → acls',
): CapabilityAccess => ({
  level,
  missing,
  evidence,
  checkedAt: at,
})
const provider = {
  name: 'DigitalOcean',
  consoleUrl: 'https://cloud.digitalocean.com/account/api/tokens',
}

describe('AccessSummary', () => {
  it('says what the credential may do and names what to add', () => {
    const wrapper = mount(AccessSummary, {
      props: {
        provider,
        account: {
          label: 'Prod',
          capabilities: ['compute', 'dns', 'storage'],
          access: {
            compute: proven('write'),
            dns: proven('read', ['domain:create']),
            storage: proven('none', ['spaces_key:create']),
          },
        },
      },
    })
    const lines = wrapper.findAll('[data-testid="access-line"]')
    expect(lines.map((l) => l.attributes('data-level'))).toEqual(['write', 'read', 'none'])
    expect(lines[0]!.text()).toContain('Can create servers ✓')
    expect(lines[1]!.text()).toContain('DNS: read only — add domain:create')
    expect(lines[1]!.get('code').text()).toBe('domain:create')
    expect(lines[2]!.text()).toContain('Storage: no access — add spaces_key:create')
    const link = wrapper.get('[data-testid="console-link"]')
    expect(link.attributes('href')).toBe(provider.consoleUrl)
    expect(link.text()).toContain('DigitalOcean console')
  })

  it('shows no console link when everything can be created, and guidance when unknown', async () => {
    const wrapper = mount(AccessSummary, {
      props: {
        provider,
        account: {
          label: 'Prod',
          capabilities: ['compute', 'dns'],
          access: {
            compute: proven('write'),
            dns: proven('unknown', [], 'DigitalOcean cannot list a token’s scopes'),
          },
        },
      },
    })
    expect(wrapper.find('[data-testid="console-link"]').exists()).toBe(false)
    expect(wrapper.text()).toContain('DNS: not known')
    expect(wrapper.text()).toContain('DigitalOcean cannot list a token’s scopes')
    await wrapper.get('button').trigger('click')
    expect(wrapper.emitted('close')).toHaveLength(1)
  })
})

describe('AccessChips', () => {
  it('shows each capability with its proven level, and how it was learnt', () => {
    const wrapper = mount(AccessChips, {
      props: {
        account: {
          capabilities: ['compute', 'dns', 'storage'],
          access: { compute: proven('read', ['provisioning']), dns: proven('write') },
        },
      },
    })
    const chips = wrapper.findAll('[data-testid="access-chip"]')
    expect(chips.map((c) => c.attributes('data-level'))).toEqual(['read', 'write', 'unchecked'])
    expect(chips[0]!.text()).toBe('Compute: read only')
    expect(chips[0]!.attributes('title')).toContain('GET /v2/account → acls')
    expect(chips[1]!.text()).toContain('DNS: can create')
    expect(chips[2]!.text()).toBe('Storage')
    expect(chips[2]!.attributes('title')).toBe('Not checked yet')
  })
})
