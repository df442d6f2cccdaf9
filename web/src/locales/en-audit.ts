import { notificationAuditActions } from './en-notifications'

/** The audit log page and the label of every audit action. */
export const audit = {
  title: 'Audit log',
  lead: 'Who connected, changed or removed what, newest first.',
  when: 'When',
  actor: 'Who',
  action: 'What',
  outcome: 'Outcome',
  details: 'Details',
  system: 'System',
  loadMore: 'Load older entries',
  empty: 'Nothing has happened in this workspace yet.',
  actions: {
    'account.connect': 'Connected an account',
    'account.reconnect': 'Reconnected an account',
    'account.recheck': 'Rechecked an account',
    'account.update': 'Edited an account',
    'account.remove': 'Removed an account',
    'member.invite': 'Invited someone',
    'member.join': 'Joined',
    'member.role_change': 'Changed a role',
    'member.remove': 'Removed a member',
    ...notificationAuditActions,
  },
  outcomes: {
    success: 'Success',
    rejected: 'Rejected',
    unreachable: 'Unreachable',
    failed: 'Failed',
  },
}
