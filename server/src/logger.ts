import type { FastifyServerOptions } from 'fastify'
import type { DestinationStream } from 'pino'

/**
 * Paths pino censors at any depth we log. Secrets should never reach a log call in the first place;
 * this is the net under that rule.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  ...[
    'password',
    'token',
    'credentials',
    'secret',
    'privateKey',
    'apiKey',
    'refreshToken',
    'accessToken',
  ].flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`, `*.*.*.*.${key}`]),
]

export function loggerOptions(
  level: string,
  stream?: DestinationStream,
): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(stream ? { stream } : {}),
  } as FastifyServerOptions['logger']
}
