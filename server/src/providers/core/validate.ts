import type { Credentials, CredentialField } from '@cloudlink/shared'
import { validationFailed, type ApiError } from '../../errors.js'

/** VALIDATION_FAILED naming `credentials.<field>`, as the request body spells it. */
export function fieldError(field: string, message: string): ApiError {
  return validationFailed(`credentials.${field}`, message)
}

/**
 * The generic format check every provider starts with: required fields present, no unknown fields,
 * values trimmed, and each value matching its declared pattern (the same pattern the SPA checks).
 */
export function checkFields(
  fields: CredentialField[],
  credentials: Credentials,
): Record<string, string> {
  const known = new Set(fields.map((f) => f.name))
  for (const name of Object.keys(credentials))
    if (!known.has(name)) throw fieldError(name, 'is not a field of this provider')
  const out: Record<string, string> = {}
  for (const field of fields) {
    const raw = credentials[field.name]
    const value = field.multiline ? (raw ?? '').trim() : (raw ?? '').trim()
    if (!value) {
      if (field.required) throw fieldError(field.name, `${field.label} is required`)
      continue
    }
    // The body schema already refused every other control character; a line break only fits a
    // multi-line field (a PEM key).
    if (!field.multiline && /[\r\n]/.test(value))
      throw fieldError(field.name, `${field.label} must be a single line`)
    if (field.pattern && !new RegExp(field.pattern).test(value))
      throw fieldError(
        field.name,
        `${field.label} does not look right${field.placeholder ? ` (expected something like ${field.placeholder})` : ''}`,
      )
    out[field.name] = value
  }
  return out
}
