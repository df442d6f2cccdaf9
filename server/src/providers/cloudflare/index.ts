import type { Credentials } from '@cloudlink/shared'
import { maskTail } from '../core/hint.js'
import { checkFields, fieldError } from '../core/validate.js'
import { defineProvider } from '../core/define.js'
import { probeCloudflare } from './probe.js'
import { accountIdentity, checkStatus, NAME, probeZones, verifyToken, type Creds } from './api.js'
import { broker } from './broker.js'

/** New-format tokens: `cfut_` (user) or `cfat_` (account), 40 characters and an 8-hex checksum. */
const NEW_FORMAT = /^cf[ua]t_/
const SOON_DAYS = 14

export const cloudflare = defineProvider<Creds>({
  descriptor: {
    id: 'cloudflare',
    name: NAME,
    authType: 'token',
    fields: [
      {
        name: 'token',
        label: 'API token',
        secret: true,
        required: true,
        // The scannable format, or a legacy 40-character token. Global API keys are not accepted.
        pattern: '^(cf[ua]t_[A-Za-z0-9]{40}[a-f0-9]{8}|[A-Za-z0-9_-]{40})$',
        placeholder: 'cfut_… or cfat_…',
        help: 'My Profile → API Tokens (user token), or Manage Account → Account API Tokens (account token)',
      },
      {
        name: 'accountId',
        label: 'Account ID (account tokens only)',
        secret: false,
        required: false,
        pattern: '^[a-f0-9]{32}$',
        placeholder: '32 hexadecimal characters',
        help: 'Needed for an account API token: the Account ID on the account’s Overview page',
      },
    ],
    consoleUrl: 'https://dash.cloudflare.com/profile/api-tokens',
    permissions: ['Zone → Zone: Read', 'Zone → DNS: Edit', 'Account → Workers R2 Storage: Edit'],
    capabilities: ['storage', 'dns'],
    notes:
      'Cloudflare has no servers: it is connected for DNS and storage. An account API token (cfat_…) also needs its Account ID.',
  },
  origins: { api: 'https://api.cloudflare.com' },
  broker,
  validate(credentials: Credentials): Creds {
    const lowered = credentials.accountId
      ? { ...credentials, accountId: credentials.accountId.trim().toLowerCase() }
      : credentials
    const v = checkFields(cloudflare.descriptor.fields, lowered)
    const token = v.token as string
    // Its own verify endpoint needs the account id, and only an account token says so by prefix.
    if (token.startsWith('cfat_') && !v.accountId)
      throw fieldError('accountId', 'Account ID is required for an account API token (cfat_…)')
    return v.accountId ? { token, accountId: v.accountId } : { token }
  },
  verify: async (ctx, c) => {
    const status = await verifyToken(ctx, c)
    checkStatus(status, 200)
    await probeZones(ctx, c)
    const identity = await accountIdentity(ctx, c)
    const warnings: string[] = []
    const expires = status.expires_on ? Date.parse(status.expires_on) : NaN
    if (!Number.isNaN(expires) && expires - Date.now() < SOON_DAYS * 86_400_000)
      warnings.push(`The token expires on ${status.expires_on}; roll it before then`)
    return { outcome: 'verified' as const, identity, warnings }
  },
  listServers: async () => ({
    outcome: 'listed' as const,
    servers: [],
    note: 'Cloudflare has no servers to list: it is connected for DNS and storage',
  }),
  probe: probeCloudflare,
  hint: (c) =>
    NEW_FORMAT.test(c.token) ? maskTail(c.token, c.token.slice(0, 5)) : maskTail(c.token),
  canonical: (c) => c.token,
})

export default cloudflare
