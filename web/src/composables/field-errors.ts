import type { FieldError } from '@cloudlink/shared'
import { ApiError } from '@/api/client'

export interface SplitFieldErrors {
  /** The server's message for each form field it named, by the field's top-level name. */
  byField: Record<string, string>
  /**
   * The error for the alert beside the form: any other error whole; for VALIDATION_FAILED the
   * headline with only the details no field shows (so nothing is said twice).
   */
  rest: ApiError | null
}

/**
 * Splits a VALIDATION_FAILED answer into messages for the form's own fields (the server names
 * them as dotted paths: `name`, `scopes.0`, `accountIds.1`) and whatever is left for an alert.
 * Any other error is left whole for the alert.
 */
export function splitFieldErrors(
  error: ApiError | null,
  fields: readonly string[],
): SplitFieldErrors {
  if (!error) return { byField: {}, rest: null }
  if (error.code !== 'VALIDATION_FAILED' || !Array.isArray(error.details))
    return { byField: {}, rest: error }
  const byField: Record<string, string> = {}
  const unplaced: FieldError[] = []
  for (const item of error.details as FieldError[]) {
    const name =
      String(item?.field ?? '')
        .replace(/^\//, '')
        .split(/[./]/)[0] ?? ''
    if (fields.includes(name)) byField[name] ??= String(item.message)
    else unplaced.push(item)
  }
  const rest = new ApiError({
    status: error.status,
    code: error.code,
    // The server's message only repeats the first field error, which is shown at its field or listed.
    message: '',
    requestId: error.requestId,
    details: unplaced,
  })
  return { byField, rest }
}
