import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import mime from 'mime'

const FALLBACK_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cloudlink</title></head>
<body><main><h1>Cloudlink</h1><p>First-run setup: <code>POST /api/v1/setup</code> creates the first owner.
API docs at <a href="/api/docs">/api/docs</a>.</p></main></body></html>`

interface StaticFile {
  body: Buffer
  headers: Record<string, string>
  etag: string
}

const TEXTUAL = /^(text\/|application\/(json|manifest\+json|xml)|image\/svg\+xml)/

/** Every file of the built SPA keyed by its URL path, read once: the whole build is a few MB at most. */
async function loadBuild(root: string): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>()
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const full = join(entry.parentPath, entry.name)
    const path = `/${relative(root, full).split(sep).join('/')}`
    const body = await readFile(full)
    const type = mime.getType(path) ?? 'application/octet-stream'
    files.set(path, {
      body,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      headers: {
        'content-type': TEXTUAL.test(type) ? `${type}; charset=utf-8` : type,
        // Vite puts a content hash in every name under assets/; everything else may change.
        'cache-control': path.startsWith('/assets/')
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      },
    })
  }
  return files
}

/**
 * Serves the built SPA on the API's port from memory: the files are read once at start, so a page
 * load never waits for libuv's thread pool (which password hashing and DNS lookups share) and
 * never touches the disk. Hashed assets are cached for a year; every other non-API path is
 * answered with index.html so client-side routes survive a reload.
 */
export default fp<{ root: string | null }>(
  async (app, opts) => {
    const root = opts.root && existsSync(join(opts.root, 'index.html')) ? opts.root : null
    const files = root ? await loadBuild(root) : new Map<string, StaticFile>()
    const index = files.get('/index.html')

    const send = (request: FastifyRequest, reply: FastifyReply, file: StaticFile) => {
      reply.headers(file.headers).header('etag', file.etag)
      if (request.headers['if-none-match'] === file.etag) return reply.code(304).send()
      return reply.send(file.body)
    }
    const isApi = (url: string) => url.startsWith('/api/') || url.startsWith('/health/')
    const page = async (request: FastifyRequest, reply: FastifyReply) => {
      if (isApi(request.url)) return reply.callNotFound()
      const path = request.url.split('?')[0] ?? '/'
      const file = files.get(path)
      if (file) return send(request, reply, file)
      // A missing hashed asset is an old page asking for a file of an older build: not the SPA.
      if (path.startsWith('/assets/')) return reply.callNotFound()
      if (index) return send(request, reply, index)
      return reply.type('text/html; charset=utf-8').send(FALLBACK_PAGE)
    }
    app.get('/*', { schema: { hide: true } }, page)
    // The SPA's invitation page: its own route only so the request log redacts the token.
    app.get('/invite/:token', { schema: { hide: true }, config: { secretParams: ['token'] } }, page)
    app.get(
      '/reset-password/:token',
      { schema: { hide: true }, config: { secretParams: ['token'] } },
      page,
    )
  },
  { name: 'spa' },
)
