import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'

/**
 * OpenAPI generated from the route schemas, so the docs cannot drift from what is validated.
 * JSON at /api/docs/json, the browsable UI at /api/docs.
 * @see https://github.com/fastify/fastify-swagger
 */
export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        info: { title: 'Cloudlink API', version: '1.0.0' },
        components: {
          securitySchemes: {
            // A session (JWT) or an API token (clk_…): both go in the same Bearer header.
            bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT or clk_ API token' },
            cookie: { type: 'apiKey', in: 'cookie', name: 'cl_session' },
            apiToken: { type: 'apiKey', in: 'header', name: 'X-Cloudlink-Token' },
          },
        },
        security: [{ bearer: [] }, { cookie: [] }, { apiToken: [] }],
      },
      refResolver: {
        buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`),
      },
    })
    await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true })
  },
  { name: 'swagger' },
)
