import type { CredentialField, Credentials } from '@cloudlink/shared'

export type FieldState = 'empty' | 'missing' | 'format' | 'ok'

const cache = new Map<string, RegExp | null>()

/** The field's `pattern` (a JSON-schema regex string) compiled once; null when it can't compile. */
export function compilePattern(pattern: string | undefined): RegExp | null {
  if (!pattern) return null
  if (!cache.has(pattern)) {
    let compiled: RegExp | null
    try {
      compiled = new RegExp(pattern, 'u')
    } catch {
      try {
        compiled = new RegExp(pattern)
      } catch {
        // A pattern we can't read is the server's to check; never block the user on it.
        compiled = null
      }
    }
    cache.set(pattern, compiled)
  }
  return cache.get(pattern) ?? null
}

/** Pasted tokens often carry a stray space or newline; multi-line keys keep their inner lines. */
export const normalizeValue = (_field: CredentialField, value: string): string => value.trim()

/** How a value compares with what the provider expects: checked on every keystroke. */
export function checkField(field: CredentialField, raw: string): FieldState {
  const value = normalizeValue(field, raw)
  if (!value) return field.required ? 'missing' : 'empty'
  const pattern = compilePattern(field.pattern)
  if (pattern && !pattern.test(value)) return 'format'
  return 'ok'
}

/** Only filled fields are sent: an optional field left empty is omitted, not sent as "". */
export function collectCredentials(
  fields: readonly CredentialField[],
  values: Record<string, string>,
): Credentials {
  const credentials: Credentials = {}
  for (const field of fields) {
    const value = normalizeValue(field, values[field.name] ?? '')
    if (value) credentials[field.name] = value
  }
  return credentials
}
