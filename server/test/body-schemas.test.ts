import t from 'tap'
import { Type } from 'typebox'
import { TextSchema } from '@cloudlink/shared'
import { buildServer } from '../src/build-server.js'
import { bodySchemaProblems } from '../src/plugins/core/validation.js'
import { build, createTestDatabase, testConfig } from './helper.js'

// Strictness is enforced at boot, not remembered route by route: a body schema that lets unknown
// fields through, or takes free text without the shared character rules, stops the server.

t.test('loose body schemas are named, nested ones too', async (t) => {
  t.same(
    bodySchemaProblems(
      Type.Object(
        {
          label: TextSchema({ maxLength: 10 }),
          nested: Type.Object({ ok: Type.Boolean() }),
          map: Type.Record(Type.String({ pattern: '^a$' }), Type.Boolean()),
          list: Type.Array(Type.Object({ n: Type.Integer() }, { additionalProperties: false })),
        },
        { additionalProperties: false },
      ),
    ),
    [
      'body.nested: an object must set additionalProperties: false',
      'body.map: an object must set additionalProperties: false',
    ],
  )
  t.same(
    bodySchemaProblems(Type.Object({ note: Type.String() }, { additionalProperties: false })),
    ['body.note: a string needs a pattern, format or enum (free text: TextSchema)'],
  )
  t.same(bodySchemaProblems(Type.Object({})), [
    'body: an object must set additionalProperties: false',
  ])
})

t.test('the server refuses to start with a route whose body allows unknown fields', async (t) => {
  const { env } = await createTestDatabase(t)
  const server = await buildServer({ config: testConfig(env), webRoot: null })
  t.teardown(() => server.close())
  // Not awaited: the plugin loads during ready(), which is what must fail.
  server.register(
    async (api) => {
      api.post(
        '/loose',
        {
          config: { access: 'public' },
          schema: { body: Type.Object({ name: TextSchema({ maxLength: 10 }) }) },
        },
        async () => ({ ok: true }),
      )
    },
    { prefix: '/api/v1' },
  )
  await t.rejects(
    async () => server.ready(),
    /POST \/api\/v1\/loose: loose body schema\nbody: an object must set additionalProperties: false/,
  )
})

t.test('the OpenAPI document still builds from the text schemas', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ url: '/api/docs/json' })
  t.equal(res.statusCode, 200)
  const doc = res.json() as { paths: Record<string, Record<string, unknown>> }
  t.match(doc.paths['/api/v1/workspaces/{workspaceId}/cloud-accounts/{accountId}']?.patch, {
    requestBody: { content: { 'application/json': { schema: { additionalProperties: false } } } },
  })
})
