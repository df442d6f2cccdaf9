import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { swaggerThemeCss } from './swagger-theme.js'

/**
 * The one inline <style> Swagger UI's bundle injects at run time (swagger-ui-dist 5.x), allowed by
 * its hash alone: the docs page keeps a CSP without 'unsafe-inline'. A Swagger UI update that
 * changes it shows as a CSP violation in the api-docs browser journey.
 */
const SWAGGER_INJECTED_STYLE = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='"

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
    await app.register(swaggerUi, {
      routePrefix: '/api/docs',
      // Our own policy for the docs page, as strict as the SPA's but for that one style hash; the
      // plugin's default adds upgrade-insecure-requests, which breaks an install on plain HTTP.
      staticCSP: {
        'default-src': ["'self'"],
        'base-uri': ["'self'"],
        'connect-src': ["'self'"],
        'font-src': ["'self'", 'data:'],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'img-src': ["'self'", 'data:'],
        'object-src': ["'none'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'", SWAGGER_INJECTED_STYLE],
      },
      // No top bar (its URL box, logo and Explore button are for browsing other APIs), and no
      // links nested in the operation buttons: both fail accessibility checks in the stock UI.
      uiConfig: { layout: 'BaseLayout', deepLinking: false },
      theme: { css: [{ filename: 'cloudlink.css', content: swaggerThemeCss }] },
    })
  },
  { name: 'swagger' },
)
