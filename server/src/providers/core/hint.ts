/** `prefix••••last4`: only a fixed public prefix and at most the last 4 characters are ever shown. */
export function maskTail(value: string, prefix = ''): string {
  const rest = value.startsWith(prefix) ? value.slice(prefix.length) : value
  const tail = rest.length > 8 ? rest.slice(-4) : ''
  return `${prefix}••••${tail}`
}

/** For multi-field credentials the non-secret identifier is shown, masked the same way. */
export const maskIdentifier = (id: string): string => maskTail(id)
