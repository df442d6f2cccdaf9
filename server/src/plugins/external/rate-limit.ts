import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import { Redis } from 'ioredis'
import { rateLimited } from '../../errors.js'

/**
 * Rate limits are opt-in per route (`config.rateLimit`) or applied through `app.rateLimit()`.
 * With REDIS_URL the counters are shared by every instance; otherwise they live in this process.
 * @see https://github.com/fastify/fastify-rate-limit
 */
export default fp(
  async (app) => {
    const redis = app.config.REDIS_URL
      ? new Redis(app.config.REDIS_URL, {
          connectTimeout: 500,
          maxRetriesPerRequest: 1,
          lazyConnect: false,
        })
      : undefined
    await app.register(rateLimit, {
      global: false,
      ...(redis ? { redis, nameSpace: 'cloudlink-rl-' } : {}),
      errorResponseBuilder: (_request, context) =>
        rateLimited(
          `Too many requests; try again in ${context.after}`,
          Math.ceil(context.ttl / 1000),
        ),
    })
    if (redis) app.addHook('onClose', async () => void (await redis.quit()))
  },
  { name: 'rate-limit', dependencies: ['config'] },
)
