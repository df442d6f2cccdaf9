import { Type, type TString } from 'typebox'

// Every string a request body carries is built from one of these. Two keywords go beyond plain
// JSON Schema; the server's Ajv knows them through ajv-keywords and ajv-errors:
// - `transform: ['trim']` trims the value in place before the length and pattern checks run, so
//   "   " is no label and the trimmed text is what gets stored;
// - `errorMessage` gives a pattern a message a person can act on instead of the regex itself.
// Patterns are written with \u escapes so the schemas stay printable; Ajv compiles them with the
// `u` flag.

/** C0 control characters and DEL, without TAB. */
const CONTROLS = '\\u0000-\\u0008\\u000A-\\u001F\\u007F'
const TAB = '\\u0009'
/** The same controls minus CR and LF, for values that may span lines (PEM keys). */
const CONTROLS_BUT_LINE_BREAKS = '\\u0000-\\u0009\\u000B\\u000C\\u000E-\\u001F\\u007F'
/**
 * Bidi marks, embeddings, overrides and isolates: they make stored text display differently from
 * what it is (a label reading "prod" that is not, "Trojan Source" CVE-2021-42574).
 */
const BIDI = '\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069'

export const SINGLE_LINE_PATTERN = `^[^${TAB}${CONTROLS}${BIDI}]*$`
export const TEXT_WITH_TABS_PATTERN = `^[^${CONTROLS}${BIDI}]*$`
export const MULTILINE_PATTERN = `^[^${CONTROLS_BUT_LINE_BREAKS}${BIDI}]*$`
/** PostgreSQL cannot store NUL in text, and no person types one. */
export const NO_NUL_PATTERN = '^[^\\u0000]*$'

const CONTROL_MESSAGE = 'must not contain control characters or bidirectional overrides'

export interface TextOptions {
  minLength?: number
  maxLength: number
  /** Allow TAB (descriptions, where a pasted table is plausible); line breaks never. */
  tabs?: boolean
}

/** Free text a person types: trimmed before its length is checked, one line, no control characters. */
export const TextSchema = ({ tabs = false, ...lengths }: TextOptions): TString =>
  Type.String({
    ...lengths,
    transform: ['trim'],
    pattern: tabs ? TEXT_WITH_TABS_PATTERN : SINGLE_LINE_PATTERN,
    errorMessage: { pattern: tabs ? `${CONTROL_MESSAGE} (a tab is fine)` : CONTROL_MESSAGE },
  })

/**
 * One credential value. It may span lines (PEM keys); each provider's own check trims it and
 * refuses line breaks in single-line fields.
 */
export const CredentialValueSchema = Type.String({
  maxLength: 16384,
  pattern: MULTILINE_PATTERN,
  errorMessage: { pattern: CONTROL_MESSAGE },
})
