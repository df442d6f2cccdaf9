import type { ApiToken, CloudAccount, NotificationEvent } from '@cloudlink/shared'
import { providerModules } from '../../providers/index.js'

type AccountEvent = Exclude<NotificationEvent, 'token.expiring'>

/**
 * One entry of a digest: an account with its latest event in the batch (as the account was then),
 * or an API token about to expire.
 */
export type DigestItem =
  | { event: AccountEvent; account: CloudAccount }
  | { event: 'token.expiring'; token: ApiToken; workspaceId: string }
type AccountItem = Extract<DigestItem, { account: CloudAccount }>

/** What a digest says about one item, in text and HTML alike. */
interface Entry {
  title: string
  facts: string[]
  advice: string
  link: string
  linkLabel: string
}

export interface RenderedMail {
  subject: string
  text: string
  html: string
}

/** Everything interpolated into HTML goes through here: labels and reasons are user or provider text. */
const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  )

const HEADLINE: Record<AccountEvent, string> = {
  'account.needs_attention': 'needs attention',
  'account.expired': 'expired',
  'account.recovered': 'works again',
  'account.stale': 'has not been reachable for 3 days',
}

export const accountLink = (publicUrl: string, account: Pick<CloudAccount, 'id' | 'workspaceId'>) =>
  `${publicUrl}/w/${account.workspaceId}/settings/connections/cloud-accounts#account-${account.id}`

/** What the owner should do, in one or two sentences, by event and provider. */
export function adviceFor(item: AccountItem): string {
  const descriptor = providerModules[item.account.provider]?.descriptor
  const name = descriptor?.name ?? item.account.provider
  const console = descriptor?.consoleUrl ? ` (${descriptor.consoleUrl})` : ''
  switch (item.event) {
    case 'account.needs_attention': {
      const needs = descriptor?.permissions.length
        ? ` with these permissions: ${descriptor.permissions.join(', ')}`
        : ''
      return `${name} refused the stored credential. Create a new one in the ${name} console${console}${needs}, then open the account in Cloudlink and choose Reconnect.`
    }
    case 'account.expired':
      return `The sign-in to ${name} expired or was revoked. Open the account in Cloudlink and choose Reconnect to sign in to ${name} again.`
    case 'account.stale':
      return `Cloudlink could not reach ${name} at any check for 3 days, so it cannot tell whether the credential still works. Check ${name}'s status page and your network; Cloudlink keeps trying, and you can recheck the account at any time.`
    case 'account.recovered':
      return 'Nothing to do: the credential works again.'
  }
}

function entryOf(item: DigestItem, publicUrl: string): Entry {
  if (item.event === 'token.expiring') {
    const { token } = item
    return {
      title: `API token "${token.name}" expires on ${token.expiresAt.slice(0, 10)}`,
      facts: [`Token: ${token.hint}`, `Scopes: ${token.scopes.join(', ')}`],
      advice:
        'Create a new token with the same scopes, put it where this one is used, then revoke this one. An expired token is refused.',
      link: `${publicUrl}/w/${item.workspaceId}/settings/api-tokens`,
      linkLabel: 'Open API tokens in Cloudlink',
    }
  }
  const { account } = item
  const provider = providerModules[account.provider]?.descriptor.name ?? account.provider
  return {
    title: `${account.label} (${provider}) ${HEADLINE[item.event]}`,
    facts: [
      `Credential: ${account.hint}`,
      ...(account.statusReason && item.event !== 'account.recovered'
        ? [`Reason: ${account.statusReason}`]
        : []),
      ...(account.lastCheck
        ? [`Last check: ${account.lastCheck.at} — ${account.lastCheck.message}`]
        : []),
    ],
    advice: adviceFor(item),
    link: accountLink(publicUrl, account),
    linkLabel: `Open ${account.label} in Cloudlink`,
  }
}

function summary(items: DigestItem[]): string {
  const count = (pick: (i: DigestItem) => boolean) => items.filter(pick).length
  const tokens = count((i) => i.event === 'token.expiring')
  const recovered = count((i) => i.event === 'account.recovered')
  const broken = items.length - tokens - recovered
  const parts: string[] = []
  if (broken > 0)
    parts.push(`${broken} cloud account${broken === 1 ? ' needs' : 's need'} attention`)
  if (recovered > 0) parts.push(`${recovered} cloud account${recovered === 1 ? '' : 's'} recovered`)
  if (tokens > 0) parts.push(`${tokens} API token${tokens === 1 ? '' : 's'} expiring`)
  return parts.join(', ')
}

/**
 * The one message a workspace's owners get for a sweep: every account that changed, what it means,
 * what to do and a link to it. Only what the API shows goes in (the masked hint, never a secret).
 */
export function renderDigest(input: {
  workspace: { id: string; name: string }
  items: DigestItem[]
  publicUrl: string
}): RenderedMail {
  const { workspace, items, publicUrl } = input
  const entries = items.map((item) => entryOf(item, publicUrl))
  const settings = `${publicUrl}/w/${workspace.id}/settings/notifications`
  const subject =
    entries.length === 1 && entries[0]
      ? `[Cloudlink] ${workspace.name}: ${entries[0].title}`
      : `[Cloudlink] ${workspace.name}: ${summary(items)}`
  const text = [
    `News about the cloud accounts of ${workspace.name}: ${summary(items)}.`,
    '',
    ...entries.flatMap((e) => [
      `* ${e.title}`,
      ...e.facts.map((f) => `  ${f}`),
      `  What to do: ${e.advice}`,
      `  Open: ${e.link}`,
      '',
    ]),
    `You get this email as an owner of ${workspace.name}. Turn it off under Settings → Notifications: ${settings}`,
  ].join('\n')
  const html = [
    `<p>News about the cloud accounts of <strong>${escapeHtml(workspace.name)}</strong>: ${escapeHtml(summary(items))}.</p>`,
    ...entries.map((e) =>
      [
        `<h3>${escapeHtml(e.title)}</h3>`,
        `<ul>${e.facts.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>`,
        `<p><strong>What to do:</strong> ${escapeHtml(e.advice)}</p>`,
        `<p><a href="${escapeHtml(e.link)}">${escapeHtml(e.linkLabel)}</a></p>`,
      ].join('\n'),
    ),
    `<p style="color:#666">You get this email as an owner of ${escapeHtml(workspace.name)}. <a href="${escapeHtml(settings)}">Notification settings</a></p>`,
  ].join('\n')
  return { subject, text, html }
}

/** Sent once, when Cloudlink turns a webhook off after a day of failed deliveries. */
export function renderWebhookDisabled(input: {
  workspace: { id: string; name: string }
  webhook: { url: string; lastError: string }
  publicUrl: string
}): RenderedMail {
  const { workspace, webhook, publicUrl } = input
  const link = `${publicUrl}/w/${workspace.id}/settings/notifications`
  const lines = [
    `Every delivery to the webhook ${webhook.url} of ${workspace.name} failed for 24 hours, so Cloudlink turned it off.`,
    `Last error: ${webhook.lastError}`,
    'Fix the receiver, then turn the webhook on again and send a test event from the delivery log.',
  ]
  return {
    subject: `[Cloudlink] ${workspace.name}: webhook turned off after 24 hours of failures`,
    text: [...lines, '', `Open: ${link}`].join('\n'),
    html: [
      ...lines.map((l) => `<p>${escapeHtml(l)}</p>`),
      `<p><a href="${escapeHtml(link)}">Notification settings</a></p>`,
    ].join('\n'),
  }
}
