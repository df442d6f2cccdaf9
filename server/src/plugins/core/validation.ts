import fp from 'fastify-plugin'
import { AjvCompiler, type ValidatorFactory } from '@fastify/ajv-compiler'
import ajvErrorsModule from 'ajv-errors'
import ajvKeywordsModule from 'ajv-keywords'

// Both packages are CommonJS with `exports.default`; under NodeNext the default import is the
// module object, so take `.default` (present at run time too).
const ajvErrors = ajvErrorsModule.default
const ajvKeywords = ajvKeywordsModule.default

type CompilerOptions = NonNullable<Parameters<ValidatorFactory>[1]>

/**
 * Ajv as Fastify's `ajv` option. allErrors so one 400 names every bad field (the errors plugin
 * caps the list, and bodyLimit caps the work). `transform` trims text before its length is
 * checked; ajv-errors gives shared patterns readable messages (both used by shared/schemas/text.ts).
 */
export const ajvOptions: CompilerOptions = {
  customOptions: {
    removeAdditional: false,
    coerceTypes: 'array',
    useDefaults: true,
    allErrors: true,
  },
  // Wrapped: Fastify types a plugin's options as unknown, which no typed plugin accepts.
  plugins: [(ajv) => ajvKeywords(ajv, 'transform'), (ajv) => ajvErrors(ajv)],
}

/**
 * Strict JSON: a body is validated without coercion (`{"label": 42}` is a wrong type, never the
 * label "42", and `null` is no string), while query strings and path params, which are always
 * text, may still be read as numbers and booleans. One Ajv pool per kind, chosen by httpPart.
 * @see https://fastify.dev/docs/latest/Reference/Server/#schemacontroller
 */
export function strictBodyValidator(): ValidatorFactory {
  const bodies = AjvCompiler()
  const others = AjvCompiler()
  return (externalSchemas, options) => {
    if (options?.mode === 'JTD') throw new Error('Cloudlink schemas are JSON Schema, not JTD')
    const body = bodies(externalSchemas, {
      ...options,
      customOptions: { ...options?.customOptions, coerceTypes: false },
    })
    const other = others(externalSchemas, options)
    return (route) => (route.httpPart === 'body' ? body(route) : other(route))
  }
}

type Schema = Record<string, unknown>
const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** What is wrong with a body schema, as `path: problem` lines; empty when it is strict. */
export function bodySchemaProblems(schema: unknown, path = 'body'): string[] {
  if (!isSchema(schema)) return []
  const problems: string[] = []
  const isObject = schema.type === 'object' || 'properties' in schema
  if (isObject && schema.additionalProperties !== false)
    problems.push(`${path}: an object must set additionalProperties: false`)
  if (schema.type === 'string' && !['enum', 'const', 'format', 'pattern'].some((k) => k in schema))
    problems.push(`${path}: a string needs a pattern, format or enum (free text: TextSchema)`)
  const children: [string, unknown][] = []
  for (const key of ['properties', 'patternProperties'] as const)
    if (isSchema(schema[key]))
      for (const [name, child] of Object.entries(schema[key])) children.push([name, child])
  if (schema.items !== undefined) children.push(['[]', schema.items])
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const)
    if (Array.isArray(schema[key])) for (const child of schema[key]) children.push(['', child])
  for (const [name, child] of children)
    problems.push(...bodySchemaProblems(child, name ? `${path}.${name}` : path))
  return problems
}

/**
 * Refuses to start when a route's body schema would let unknown fields through or take free
 * text without the shared character rules, so the strictness cannot be forgotten route by route.
 */
export default fp(
  async (app) => {
    app.addHook('onRoute', (route) => {
      const problems = bodySchemaProblems(route.schema?.body)
      if (problems.length > 0)
        throw new Error(`${route.method} ${route.url}: loose body schema\n${problems.join('\n')}`)
    })
  },
  { name: 'validation' },
)
