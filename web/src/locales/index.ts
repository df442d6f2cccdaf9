import { en } from './en'

interface Plural {
  one: string
  other: string
}

type Paths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string | Plural ? `${P}${K}` : Paths<T[K], `${P}${K}.`>
}[keyof T & string]

/** Every translatable key, checked at compile time (`t('cloud.title')`). */
export type MessageKey = Paths<typeof en>
export type MessageParams = Record<string, string | number>

const isPlural = (node: unknown): node is Plural =>
  typeof node === 'object' && node !== null && 'one' in node && 'other' in node

/** Walks the table; a key segment may itself contain dots (audit actions like "member.invite"). */
function lookup(key: string): unknown {
  let node: unknown = en
  let rest = key
  while (rest) {
    if (typeof node !== 'object' || node === null) return undefined
    const table = node as Record<string, unknown>
    if (rest in table) return table[rest]
    const dot = rest.indexOf('.')
    if (dot === -1) return undefined
    node = table[rest.slice(0, dot)]
    rest = rest.slice(dot + 1)
  }
  return node
}

const fill = (template: string, params: MessageParams = {}) =>
  template.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in params ? String(params[name]) : match,
  )

/** Translates a key; plural entries pick `one`/`other` from `params.count`. */
export function t(key: MessageKey, params?: MessageParams): string {
  const node = lookup(key)
  if (typeof node === 'string') return fill(node, params)
  if (isPlural(node)) return fill(params?.count === 1 ? node.one : node.other, params)
  return key
}

/** Looks up a key built at runtime (an error code, an enum value) with a fallback. */
export function tDynamic(key: string, fallback: MessageKey, params?: MessageParams): string {
  const node = lookup(key)
  return typeof node === 'string' ? fill(node, params) : t(fallback, params)
}

/** The headline for an API error code: `errors.<CODE>`, or the generic text for unknown codes. */
export const errorText = (code: string): string => tDynamic(`errors.${code}`, 'errors.UNKNOWN')

const detailsOf = (details: unknown): Record<string, unknown> =>
  typeof details === 'object' && details !== null && !Array.isArray(details)
    ? (details as Record<string, unknown>)
    : {}

/** The cause an answer names (`details.reason`), when the SPA has a sentence for it. */
export function reasonOf(error: { details?: unknown }): string | null {
  const reason = detailsOf(error.details).reason
  return typeof reason === 'string' && typeof lookup(`errorReasons.${reason}`) === 'string'
    ? reason
    : null
}

/** The sentence for an error: its cause's where the answer names one, else its code's. */
export function errorSentence(error: { code: string; details?: unknown }): string {
  const reason = reasonOf(error)
  if (!reason) return errorText(error.code)
  const label = detailsOf(error.details).label
  return tDynamic(`errorReasons.${reason}`, 'errors.UNKNOWN', {
    label: typeof label === 'string' ? label : '',
  })
}
