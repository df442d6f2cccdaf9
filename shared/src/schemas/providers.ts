import { Type, type Static } from 'typebox'
import { ProviderSchema } from '../providers.js'
import { NullableTimestampSchema } from './common.js'

export const DemoCredentialSchema = Type.Object({
  provider: Type.String(),
  kind: Type.Union([
    Type.Literal('good'),
    Type.Literal('revoked'),
    Type.Literal('slow'),
    // Valid, but may only read (providers whose credentials can say so).
    Type.Literal('readOnly'),
  ]),
  credentials: Type.Record(Type.String(), Type.String()),
})
export type DemoCredential = Static<typeof DemoCredentialSchema>

export const ProviderListSchema = Type.Object({
  items: Type.Array(ProviderSchema),
  /** True when SANDBOX=1: every provider is a local simulator. */
  sandbox: Type.Boolean(),
  /** Demo credentials, only in sandbox mode, so nobody pastes a real token into a simulator. */
  demoCredentials: Type.Array(DemoCredentialSchema),
  /** When the last scheduled recheck sweep finished. */
  lastSweepAt: NullableTimestampSchema,
})
export type ProviderList = Static<typeof ProviderListSchema>
