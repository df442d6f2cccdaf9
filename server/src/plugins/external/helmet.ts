import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'

/**
 * Security headers on every response, with a strict Content-Security-Policy that the built SPA runs
 * under: only same-origin scripts, styles and connections, no inline code, no eval, no framing.
 * Helmet's CSP defaults are switched off on purpose: they add `upgrade-insecure-requests`, which
 * breaks a self-hosted instance served over plain HTTP on a LAN address.
 * @see https://github.com/fastify/fastify-helmet
 */
export default fp(
  async (app) => {
    await app.register(helmet, {
      global: true,
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
  },
  { name: 'helmet' },
)
