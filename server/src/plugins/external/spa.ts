import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fastifyStatic from '@fastify/static'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

const FALLBACK_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cloudlink</title></head>
<body><main><h1>Cloudlink</h1><p>First-run setup: <code>POST /api/v1/setup</code> creates the first owner.
API docs at <a href="/api/docs">/api/docs</a>.</p></main></body></html>`

/**
 * Serves the built SPA on the API's port: hashed assets cached for a year, every other non-API
 * path answered with index.html so client-side routes survive a reload.
 * @see https://github.com/fastify/fastify-static
 */
export default fp<{ root: string | null }>(
  async (app, opts) => {
    const root = opts.root && existsSync(join(opts.root, 'index.html')) ? opts.root : null
    if (root) {
      await app.register(fastifyStatic, {
        root,
        wildcard: false,
        index: false,
        setHeaders: (res, path: string) => {
          res.header(
            'cache-control',
            path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
          )
        },
      })
    }
    const isApi = (url: string) => url.startsWith('/api/') || url.startsWith('/health/')
    const page = async (request: FastifyRequest, reply: FastifyReply) => {
      if (isApi(request.url)) return reply.callNotFound()
      if (root) return reply.header('cache-control', 'no-cache').sendFile('index.html')
      return reply.type('text/html; charset=utf-8').send(FALLBACK_PAGE)
    }
    app.get('/*', { schema: { hide: true } }, page)
    // The SPA's invitation page: its own route only so the request log redacts the token.
    app.get('/invite/:token', { schema: { hide: true }, config: { secretParams: ['token'] } }, page)
  },
  { name: 'spa' },
)
