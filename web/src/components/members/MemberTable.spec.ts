import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import MemberTable from './MemberTable.vue'
import { makeMember } from '@/test/fixtures'

const bo = makeMember({
  user: { id: '66666666-6666-4666-8666-666666666666', email: 'bo@example.com', name: 'Bo' },
  role: 'member',
})

describe('MemberTable', () => {
  it('owners can change roles and remove', async () => {
    const wrapper = mount(MemberTable, { props: { members: [makeMember(), bo], canManage: true } })
    const select = wrapper.get('select[aria-label="Role of Bo"]')
    await select.setValue('owner')
    expect(wrapper.emitted('change-role')?.[0]).toEqual([bo, 'owner'])
    await wrapper.get('button[aria-label="Remove Bo"]').trigger('click')
    expect(wrapper.emitted('remove')?.[0]).toEqual([bo])
  })

  it('owners hand out a reset link for anyone but themselves', async () => {
    const me = makeMember()
    const wrapper = mount(MemberTable, {
      props: { members: [me, bo], canManage: true, currentUserId: me.user.id },
    })
    expect(wrapper.findAll('[data-testid="reset-password"]')).toHaveLength(1)
    await wrapper.get('button[aria-label="Reset password of Bo"]').trigger('click')
    expect(wrapper.emitted('reset-password')?.[0]).toEqual([bo])
  })

  it('members see roles but no controls', () => {
    const wrapper = mount(MemberTable, { props: { members: [makeMember(), bo], canManage: false } })
    expect(wrapper.find('select').exists()).toBe(false)
    expect(wrapper.find('button').exists()).toBe(false)
    expect(wrapper.text()).toContain('Owner')
    expect(wrapper.text()).toContain('Member')
  })

  it('the last owner cannot be demoted or removed, and the table says why', () => {
    const wrapper = mount(MemberTable, { props: { members: [makeMember(), bo], canManage: true } })
    const ada = wrapper.get('select[aria-label="Role of Ada"]')
    expect(ada.attributes('disabled')).toBeDefined()
    const remove = wrapper.get('button[aria-label="Remove Ada"]')
    expect(remove.attributes('disabled')).toBeDefined()
    const note = wrapper.get('[data-testid="last-owner"]')
    expect(note.text()).toMatch(/^The only owner/)
    expect(ada.attributes('aria-describedby')).toBe(note.attributes('id'))
    expect(remove.attributes('aria-describedby')).toBe(note.attributes('id'))
    expect(wrapper.get('select[aria-label="Role of Bo"]').attributes('disabled')).toBeUndefined()
  })

  it('with two owners, either can be changed', () => {
    const wrapper = mount(MemberTable, {
      props: { members: [makeMember(), { ...bo, role: 'owner' }], canManage: true },
    })
    expect(wrapper.findAll('select[disabled]')).toHaveLength(0)
    expect(wrapper.find('[data-testid="last-owner"]').exists()).toBe(false)
  })
})
