/** Members and invitations beyond the basics in en.ts (`people.<key>`). */
export const people = {
  invitationUsedTitle: 'This invitation was already used',
  invitationExpiredTitle: 'This invitation has expired',
  lastOwner: 'The only owner: make someone else an owner first to change or remove them.',
}
