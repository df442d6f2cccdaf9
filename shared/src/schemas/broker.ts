import { Type, type Static } from 'typebox'
import { IdSchema, TimestampSchema } from './common.js'

/** Names a provider origin other than the default for one broker call (e.g. `ec2:eu-west-1`). */
export const BROKER_ORIGIN_HEADER = 'x-cloudlink-origin'
/** Set on every answer the broker hands back from a provider. */
export const BROKER_PROXIED_HEADER = 'x-cloudlink-proxied'

/** Per provider in `GET /api/v1/providers`: where the broker forwards to. */
export const ProviderProxySchema = Type.Object({
  defaultOrigin: Type.String(),
  origins: Type.Array(Type.String()),
})
export type ProviderProxy = Static<typeof ProviderProxySchema>

export const BrokerCallSchema = Type.Object({
  id: IdSchema,
  at: TimestampSchema,
  token: Type.Union([Type.Object({ id: IdSchema, name: Type.String() }), Type.Null()]),
  accountId: IdSchema,
  provider: Type.String(),
  method: Type.String(),
  origin: Type.String(),
  /** The forwarded path; query values are replaced by `…` (they may carry identifiers). */
  path: Type.String(),
  /** The provider's status, or our own error's when the call never reached it. */
  status: Type.Integer(),
  latencyMs: Type.Integer(),
})
export type BrokerCall = Static<typeof BrokerCallSchema>

export const BrokerCallPageSchema = Type.Object({
  items: Type.Array(BrokerCallSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
})
export type BrokerCallPage = Static<typeof BrokerCallPageSchema>

/** `POST …/cloud-accounts/:accountId/session`: a short-lived credential where the provider has one. */
export const BrokerSessionSchema = Type.Union([
  Type.Object({
    accessKeyId: Type.String(),
    secretAccessKey: Type.String(),
    sessionToken: Type.String(),
    expiresAt: TimestampSchema,
  }),
  Type.Object({ accessToken: Type.String(), expiresAt: TimestampSchema }),
])
export type BrokerSession = Static<typeof BrokerSessionSchema>
