import Fastify, { type FastifyInstance } from 'fastify'
import { randomUUID } from 'node:crypto'
import type { DestinationStream } from 'pino'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import app, { type AppOptions } from './app.js'
import { loggerOptions } from './logger.js'
import { frameworkErrorHandler } from './plugins/core/errors.js'
import { ajvOptions, strictBodyValidator } from './plugins/core/validation.js'

export interface BuildOptions extends AppOptions {
  /** Where log lines go (tests capture them to prove no secret is logged). */
  logStream?: DestinationStream
}

/** TRUST_PROXY as Fastify takes it: a hop count, or the proxies' addresses; unset trusts nobody. */
function trustProxy(
  value: string | undefined,
): string | false | ((addr: string, hop: number) => boolean) {
  if (!value) return false
  if (!/^[0-9]+$/.test(value)) return value
  const hops = Number(value)
  return (_addr, hop) => hop < hops
}

export async function buildServer(opts: BuildOptions): Promise<FastifyInstance> {
  const server = Fastify({
    logger: loggerOptions(opts.config.LOG_LEVEL, opts.logStream),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: 256 * 1024,
    // Embedded PGlite needs a few seconds to boot and migrate on a busy machine.
    pluginTimeout: 120_000,
    trustProxy: trustProxy(opts.config.TRUST_PROXY),
    frameworkErrors: frameworkErrorHandler,
    ajv: ajvOptions,
    schemaController: { compilersFactory: { buildValidator: strictBodyValidator() } },
  }).withTypeProvider<TypeBoxTypeProvider>()
  await server.register(app, opts)
  return server
}
