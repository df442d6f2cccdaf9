import { Type, type Static } from 'typebox'

export const IdSchema = Type.String({ format: 'uuid' })
export const TimestampSchema = Type.String({ format: 'date-time' })
export const NullableTimestampSchema = Type.Union([TimestampSchema, Type.Null()])

export const EmailSchema = Type.String({ format: 'email', minLength: 3, maxLength: 254 })
/** Long passphrases welcome; the upper bound only stops hashing megabytes. */
export const PasswordSchema = Type.String({ minLength: 12, maxLength: 256 })
export const NameSchema = Type.String({ minLength: 1, maxLength: 100 })

export const WorkspaceParamsSchema = Type.Object({ workspaceId: IdSchema })
export type WorkspaceParams = Static<typeof WorkspaceParamsSchema>

export const PageQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
)
export type PageQuery = Static<typeof PageQuerySchema>
