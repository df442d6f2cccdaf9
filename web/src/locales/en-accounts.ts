/** The cloud accounts list: checks, filters, notices at the card (`accounts.<key>` in en.ts). */
export const accounts = {
  check: {
    /** Card and page header use the same word for the same thing: a check of the credential. */
    label: 'Last check',
    ok: 'worked',
    unreachable: "couldn't reach {provider}",
    rejected: 'rejected by {provider}',
    never: 'not checked yet',
    unreachableTitle: "Couldn't reach {provider} on the last check ({when})",
    unreachableBody:
      '{reason}. {provider} did not reject the credential, so the account stays connected.',
    lastConfirmed: 'last confirmed working {when}',
    neverConfirmed: 'never confirmed working yet',
    confirmedSentence: 'Last confirmed working {when}.',
    neverConfirmedSentence: 'Never confirmed working yet.',
    notConfirmed: 'Not confirmed on the last check',
  },
  sweep: 'Last automatic check of every account: {when}.',
  sweepNever: 'No automatic check of every account has run yet.',
  recheck: {
    ok: '{label} was checked just now: the credential works.',
    unreachable:
      "{label} couldn't be checked: couldn't reach {provider} ({reason}). It stays connected; {confirmed}.",
    rejected:
      '{label} was checked just now: {provider} rejected the credential ({reason}). {status}.',
  },
  mismatch: {
    identities:
      '"{label}" is connected to {connected}; the credential you pasted belongs to {presented}.',
    accountId: 'account {id}',
  },
  filters: {
    label: 'Find accounts',
    search: 'Search by label',
    provider: 'Provider',
    allProviders: 'All providers',
    status: 'Status',
    allStatuses: 'All statuses',
    attention: 'Anything needing attention',
    sort: 'Sort by',
    sorts: {
      status: 'Status (needing attention first)',
      name: 'Name',
      provider: 'Provider',
      checked: 'Last check (oldest first)',
    },
    group: 'Group by provider',
    showing: {
      one: 'Showing {count} of {total} accounts',
      other: 'Showing {count} of {total} accounts',
    },
    clear: 'Clear filters',
    noMatch: 'No account matches these filters.',
  },
  attentionCount: {
    one: '{count} account needs attention',
    other: '{count} accounts need attention',
  },
  showAttention: 'Show them',
  defaultFor: 'Default for {provider}',
  defaultHelp:
    "Default: where a provider has several accounts, the one your platform uses when it doesn't name an account.",
  verify: {
    slow: 'Still waiting for {provider} to answer. Nothing is saved until it accepts the credential; Cancel stops waiting.',
    cancelled: 'Stopped waiting for {provider}. Nothing was saved.',
    cancelledKept: 'Stopped waiting for {provider}. The current credential is still in place.',
  },
  oauthReconnect: {
    title: 'Sign in at {provider} again',
    body: 'Approve access with the same {provider} account as before. You come back here when it is done.',
    note: 'The current access stays in place until {provider} grants new access, so an interrupted sign-in never breaks a working connection.',
    current: 'Access on file:',
  },
  hideDemos: 'Hide the demo credentials',
  unknownProvider: 'There is no provider "{provider}" to connect. Pick one from the list.',
  dismiss: 'Dismiss',
  dismissFor: 'Dismiss the message about {label}',
}
