import { Type, type Static } from 'typebox'
import { NO_NUL_PATTERN, TextSchema } from './text.js'

export const IdSchema = Type.String({ format: 'uuid' })
export const TimestampSchema = Type.String({ format: 'date-time' })
export const NullableTimestampSchema = Type.Union([TimestampSchema, Type.Null()])

/** Trimmed first: an address pasted with a space around it is still that address. */
export const EmailSchema = Type.String({
  format: 'email',
  minLength: 3,
  maxLength: 254,
  transform: ['trim'],
})
/**
 * A password being set. Kept exactly as typed (spaces are part of it), but it may not be only
 * whitespace or one character repeated: both pass a length rule while being trivial to guess.
 * Long passphrases are welcome; the upper bound only stops hashing megabytes.
 */
export const PasswordSchema = Type.String({
  minLength: 12,
  maxLength: 256,
  pattern: NO_NUL_PATTERN,
  not: { pattern: '^(?:\\s*|(.)\\1*)$' },
  errorMessage: {
    pattern: 'must not contain a NUL character',
    not: 'must not be only spaces or one character repeated',
  },
})

/** A password being checked (login): any existing password, but never a NUL. */
export const LoginPasswordSchema = Type.String({
  minLength: 1,
  maxLength: 256,
  pattern: NO_NUL_PATTERN,
  errorMessage: { pattern: 'must not contain a NUL character' },
})

/** A person's or a workspace's name. */
export const NameSchema = TextSchema({ minLength: 1, maxLength: 100 })

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
