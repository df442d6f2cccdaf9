import { ProviderProxySchema } from './schemas/broker.js'
import { Type, type Static } from 'typebox'

/**
 * Every provider Cloudlink can connect. Adding one here without its provider module (server), its
 * simulator and its test cases (server and e2e) is a compile error in each registry.
 */
export const PROVIDER_IDS = [
  'hetzner-cloud',
  'hetzner-robot',
  'digitalocean',
  'vultr',
  'linode',
  'upcloud',
  'hostinger',
  'transip',
  'cloudflare',
  'scaleway',
  'aws',
  'ovh-eu',
  'ovh-ca',
  'azure',
  'gcp',
] as const
export type ProviderId = (typeof PROVIDER_IDS)[number]

export const ProviderIdSchema = Type.Enum(PROVIDER_IDS)

export const AUTH_TYPES = ['token', 'basic', 'keypair', 'signed', 'oauth'] as const
export type AuthType = (typeof AUTH_TYPES)[number]

export const CAPABILITIES = ['compute', 'storage', 'dns'] as const
export type Capability = (typeof CAPABILITIES)[number]
export const CapabilitySchema = Type.Enum(CAPABILITIES)

/** The environment variable that points every origin of a provider elsewhere (simulators, proxies). */
export const providerUrlEnvName = (id: ProviderId): string =>
  `PROVIDER_URL_${id.toUpperCase().replace(/-/g, '_')}`

export const CredentialFieldSchema = Type.Object({
  name: Type.String(),
  label: Type.String(),
  secret: Type.Boolean(),
  required: Type.Boolean(),
  multiline: Type.Optional(Type.Boolean()),
  pattern: Type.Optional(Type.String()),
  placeholder: Type.Optional(Type.String()),
  help: Type.Optional(Type.String()),
})
export type CredentialField = Static<typeof CredentialFieldSchema>

export const ProviderSchema = Type.Object({
  id: ProviderIdSchema,
  name: Type.String(),
  authType: Type.Enum(AUTH_TYPES),
  fields: Type.Array(CredentialFieldSchema),
  consoleUrl: Type.String(),
  permissions: Type.Array(Type.String()),
  capabilities: Type.Array(CapabilitySchema),
  available: Type.Boolean(),
  notes: Type.Optional(Type.String()),
  /**
   * One-click OAuth connect, for providers that offer it (alone or beside a token): whether this
   * installation has the OAuth app configured, and when not, how a self-hoster registers one.
   */
  oauth: Type.Optional(
    Type.Object({ available: Type.Boolean(), note: Type.Optional(Type.String()) }),
  ),
  /** Where the broker forwards this provider's calls (`X-Cloudlink-Origin` picks by name). */
  proxy: Type.Optional(ProviderProxySchema),
})
export type Provider = Static<typeof ProviderSchema>
