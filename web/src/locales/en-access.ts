/** What a credential was proven to be allowed to do (CloudAccount.access). */
export const access = {
  level: {
    write: 'can create',
    read: 'read only',
    none: 'no access',
    unknown: 'not known',
  },
  chip: '{capability}: {level}',
  chipTitle: '{capability}: {level}. {evidence}',
  can: {
    compute: 'Can create servers',
    dns: 'Can change DNS records',
    storage: 'Can create storage buckets',
  },
  cannot: '{capability}: {level}',
  add: 'add',
  unknownHint: "Cloudlink can't check this without changing something: {evidence}",
  summaryTitle: 'What {label} may do',
  summaryIntro: 'Checked just now, without creating anything:',
  openConsole: 'Change permissions in the {provider} console',
  evidence: 'How we know: {evidence}',
  notChecked: 'Not checked yet',
  done: 'Done',
}
