import fp from 'fastify-plugin'
import helmet from 'helmet'
import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * Security headers on every response, with a strict Content-Security-Policy that the built SPA runs
 * under: only same-origin scripts, styles and connections, no inline code, no eval, no framing.
 * Helmet's CSP defaults are switched off on purpose: they add `upgrade-insecure-requests`, which
 * breaks a self-hosted instance served over plain HTTP on a LAN address.
 *
 * Helmet itself, run once: @fastify/helmet rebuilds the middleware (and re-parses every CSP
 * directive) on each request, which cost more than the rest of a cached read. Nothing here varies
 * per route or per request (no nonces), so the headers it sets once serve every response.
 * @see https://helmetjs.github.io/
 */
export default fp(
  async (app) => {
    // HSTS only when the public URL is https: over plain HTTP it means nothing to a browser, and
    // sent by a LAN install later put behind TLS on the same name it would pin what it should not.
    const https = (app.config.PUBLIC_URL ?? '').startsWith('https://')
    const secure = helmet({
      strictTransportSecurity: https ? { maxAge: 365 * 24 * 60 * 60 } : false,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Vite emits SFC styles as files; Vue's :style bindings go through CSSOM, which CSP allows.
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
        },
      },
      // Referrers would leak invitation tokens (/invite/:token) to any site linked from that page.
      referrerPolicy: { policy: 'no-referrer' },
    })
    // Nothing in this policy varies per request, so helmet runs once, against a recorder, and every
    // reply gets the headers it set (helmet only adds headers, and removes X-Powered-By, which
    // Fastify never sends).
    const headers: Record<string, string> = {}
    const recorder = {
      setHeader: (name: string, value: string | number | readonly string[]) =>
        void (headers[name.toLowerCase()] = String(value)),
      removeHeader: () => undefined,
    }
    let failed: unknown
    secure(
      {} as IncomingMessage,
      recorder as unknown as ServerResponse,
      (err?: unknown) => void (failed = err),
    )
    if (failed) throw failed
    app.addHook('onRequest', (request, reply, done) => {
      reply.headers(headers)
      // API answers carry session tokens, invitation tokens, credential hints: never kept by a
      // browser's or a proxy's cache. (Set first, so a route could still override it.)
      if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store')
      done()
    })
  },
  { name: 'helmet', dependencies: ['config'] },
)
