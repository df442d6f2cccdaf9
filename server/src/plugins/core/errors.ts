import fp from 'fastify-plugin'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { ErrorCode, ErrorResponseSchema, type FieldError } from '@cloudlink/shared'
import { ApiError } from '../../errors.js'

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthenticated,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  429: ErrorCode.RateLimited,
}

interface AjvIssue {
  instancePath?: string
  message?: string
  params?: Record<string, unknown>
}

/**
 * At most this many field errors in one answer. Ajv runs with allErrors, so a body of many unknown
 * fields would otherwise come back as an answer as large as the request.
 */
export const MAX_FIELD_ERRORS = 20

/** Turns Ajv's issues into `{ field, message }` with the field as a dotted path a person can read. */
function fieldErrors(context: string | undefined, issues: AjvIssue[]): FieldError[] {
  return issues.slice(0, MAX_FIELD_ERRORS).map((issue) => {
    const parts = (issue.instancePath ?? '').split('/').filter(Boolean)
    const extra = issue.params?.missingProperty ?? issue.params?.additionalProperty
    if (typeof extra === 'string') parts.push(extra)
    const field = parts.length > 0 ? parts.join('.') : (context ?? 'body')
    const message =
      issue.params?.additionalProperty !== undefined
        ? 'is not allowed'
        : (issue.message ?? 'is invalid')
    return { field, message }
  })
}

function send(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  code: string,
  message: string,
  details?: unknown,
) {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({
      statusCode: status,
      code,
      message,
      requestId: request.id,
      ...(details === undefined ? {} : { details }),
    })
}

/**
 * For Fastify's `frameworkErrors` option. A malformed URL (bad percent-encoding, a param longer than
 * the router allows) is refused before routing, so setErrorHandler never sees it; without this it
 * would leave in Fastify's own shape, without a requestId.
 */
export function frameworkErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    request.log.info({ code: error.code }, 'malformed url')
    const details = [{ field: 'url', message: error.message }]
    return send(reply, request, 400, ErrorCode.ValidationFailed, 'The URL is malformed', details)
  }
  request.log.error({ err: error }, 'framework error')
  return send(reply, request, 500, ErrorCode.Internal, 'Something went wrong on our side')
}

/**
 * One error shape for every non-2xx answer. A 5xx never carries its real message: it is logged
 * with the request id the client sees, so an operator can find it without leaking internals.
 */
export default fp(
  async (app) => {
    app.addSchema(ErrorResponseSchema)

    app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
      if (error instanceof ApiError) {
        // A provider being down, or our own load shedding, is an expected answer, not a bug.
        if (error.code === ErrorCode.ProviderUnreachable || error.code === ErrorCode.Unavailable)
          request.log.warn({ code: error.code }, error.message)
        else if (error.statusCode >= 500)
          request.log.error({ err: error.cause ?? error }, error.message)
        // RATE_LIMITED (429) and UNAVAILABLE (503) tell the caller when to come back.
        const comeBack =
          error.code === ErrorCode.RateLimited || error.code === ErrorCode.Unavailable
        if (comeBack && error.details && typeof error.details === 'object') {
          const retry = (error.details as { retryAfter?: number }).retryAfter
          if (retry !== undefined) reply.header('retry-after', String(retry))
        }
        return send(reply, request, error.statusCode, error.code, error.message, error.details)
      }
      const fe = error as FastifyError & { validationContext?: string }
      if (fe.validation) {
        const details = fieldErrors(fe.validationContext, fe.validation as AjvIssue[])
        const first = details[0]
        const message = first ? `${first.field}: ${first.message}` : 'Request is invalid'
        return send(reply, request, 400, ErrorCode.ValidationFailed, message, details)
      }
      const status = fe.statusCode ?? 500
      if (status >= 400 && status < 500) {
        request.log.info({ code: fe.code, status }, 'client error')
        const code = CODE_BY_STATUS[status] ?? ErrorCode.ValidationFailed
        // The contract promises VALIDATION_FAILED names a field; Fastify's own 400s are about the body.
        const field = fe.code?.startsWith('FST_ERR_CTP_') ? 'body' : 'request'
        const details =
          code === ErrorCode.ValidationFailed ? [{ field, message: fe.message }] : undefined
        // Fastify's own 4xx messages (bad JSON, wrong content type, body too large) are safe to show.
        return send(reply, request, status, code, fe.message, details)
      }
      request.log.error({ err: error }, 'unhandled error')
      return send(reply, request, 500, ErrorCode.Internal, 'Something went wrong on our side')
    })

    // Rate limited like any route, so probing for paths cannot hammer the server for free.
    app.setNotFoundHandler(
      {
        preHandler: app.rateLimit ? app.rateLimit({ max: 120, timeWindow: '1 minute' }) : undefined,
      },
      (request, reply) =>
        send(
          reply,
          request,
          404,
          ErrorCode.NotFound,
          `Route ${request.method} ${request.url.split('?')[0]} not found`,
        ),
    )

    // Every route documents (and serializes) the shared error shape for its error statuses.
    app.addHook('onRoute', (route) => {
      if (!route.url.startsWith('/api/v1')) return
      const schema = (route.schema ??= {}) as { response?: Record<string, unknown> }
      const response = (schema.response ??= {})
      for (const status of [400, 401, 403, 404, 409, 422, 429, 502, 503]) {
        response[status] ??= { $ref: 'ErrorResponse#' }
      }
    })
  },
  { name: 'errors', dependencies: ['rate-limit'] },
)
