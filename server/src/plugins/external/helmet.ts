import fp from 'fastify-plugin'
import helmet from 'helmet'

/**
 * Security headers on every response, with a strict Content-Security-Policy that the built SPA runs
 * under: only same-origin scripts, styles and connections, no inline code, no eval, no framing.
 * Helmet's CSP defaults are switched off on purpose: they add `upgrade-insecure-requests`, which
 * breaks a self-hosted instance served over plain HTTP on a LAN address.
 *
 * Helmet itself, built once: @fastify/helmet rebuilds the middleware (and re-parses every CSP
 * directive) on each request, which cost more than the rest of a cached read. Nothing here varies
 * per route or per request (no nonces), so one middleware serves every response.
 * @see https://helmetjs.github.io/
 */
export default fp(
  async (app) => {
    const secure = helmet({
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
    app.addHook('onRequest', (request, reply, done) => {
      secure(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined))
    })
  },
  { name: 'helmet' },
)
