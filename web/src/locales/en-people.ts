/** Members and invitations beyond the basics in en.ts (`people.<key>`). */
export const people = {
  invitationUsedTitle: 'This invitation was already used',
  invitationExpiredTitle: 'This invitation has expired',
  ownerOnlyConnect:
    'Only workspace owners can connect cloud accounts. Ask an owner to connect it, or to make you an owner.',
  ownerOnlyTitle: 'For workspace owners only',
  ownerOnlyPage:
    'Only owners of this workspace can open {page}. Ask an owner if you need something there.',
  ownersAre: 'Owners: {names}.',
  backToAccounts: 'Back to the cloud accounts',
  /** The owner-only pages, by route name, as the sentence names them. */
  pages: {
    audit: 'the audit log',
    'broker-calls': 'the broker calls',
    'api-tokens': 'the API tokens',
    notifications: 'the notification settings',
    fallback: 'this page',
  },
  pendingTitle: 'Pending invitations',
  pendingLead: 'Links that nobody has used yet. Revoke one to make its link stop working at once.',
  pendingEmpty: 'No pending invitations.',
  expired: 'Expired',
  expiresWhen: 'Expires {when}',
  expiredWhen: 'Expired {when}',
  invitedBy: 'invited by {name}',
  invitedByGone: 'invited by a removed account',
  copyLink: 'Copy link',
  newLink: 'New link',
  forEmail: 'for {email}',
  revoke: 'Revoke',
  revokeTitle: 'Revoke the invitation for {email}?',
  revokeBody: 'The link stops working at once. You can invite {email} again later.',
  revokeConfirm: 'Revoke invitation',
  revoked: 'The invitation for {email} was revoked.',
  lastOwner: 'The only owner: make someone else an owner first to change or remove them.',
}
