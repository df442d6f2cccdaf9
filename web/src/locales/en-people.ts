/** Members and invitations beyond the basics in en.ts (`people.<key>`). */
export const people = {
  invitationUsedTitle: 'This invitation was already used',
  invitationExpiredTitle: 'This invitation has expired',
  ownerOnlyConnect:
    'Only workspace owners can connect cloud accounts. Ask an owner to connect it, or to make you an owner.',
  ownerOnlyPage: 'Only workspace owners can open {page}. Ask an owner if you need something there.',
  lastOwner: 'The only owner: make someone else an owner first to change or remove them.',
}
