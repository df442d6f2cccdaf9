import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import {
  BrokerCallPageSchema,
  BrokerSessionSchema,
  CloudAccountParamsSchema,
  IdSchema,
  PageQuerySchema,
  WorkspaceParamsSchema,
} from '@cloudlink/shared'
import { tokenScope } from '../../../errors.js'
import { createBroker } from '../../../domain/broker/broker-service.js'
import { listBrokerCalls } from '../../../domain/broker/calls.js'
import { mintSession, SESSION_SECONDS } from '../../../domain/broker/session.js'
import {
  proxyParts,
  stashProviderAuthorization,
  withProviderAuthorization,
} from './proxy-request.js'

const ONLY_TOKENS =
  'The broker is for API tokens with the accounts:use scope; people cannot call it'

/** The calling token, or TOKEN_SCOPE for a person: only tokens use the broker. */
function brokerToken(request: FastifyRequest) {
  const caller = request.caller
  if (caller?.type !== 'token') throw tokenScope(ONLY_TOKENS)
  return { id: caller.token.id, name: caller.token.name }
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

/**
 * The broker (contract "Broker: use an account without seeing its secret"): the proxy itself, the
 * short-lived session, and the owners' record of every call.
 */
const brokerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const base = '/workspaces/:workspaceId/cloud-accounts/:accountId'
  const broker = createBroker({
    em: app.orm.em,
    vault: app.vault,
    providers: app.providers,
    timeoutMs: app.config.BROKER_TIMEOUT_MS,
    log: app.log,
  })
  // Records and recheck requests still being written finish before the database goes.
  app.addHook('onClose', async () => broker.settled())

  app.get(
    '/workspaces/:workspaceId/broker-calls',
    {
      config: { access: 'owner', token: false },
      schema: {
        tags: ['broker'],
        params: WorkspaceParamsSchema,
        querystring: PageQuerySchema,
        response: { 200: BrokerCallPageSchema },
      },
    },
    async (request) => {
      // This instance's calls that just answered are in the list too.
      await broker.settled()
      return listBrokerCalls(request.em, request.params.workspaceId, {
        limit: request.query.limit ?? 50,
        ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
      })
    },
  )

  app.post(
    `${base}/session`,
    {
      config: {
        access: 'member',
        token: 'accounts:use',
        audit: 'account.use_session',
        rateLimit: { max: 30, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['broker'],
        params: CloudAccountParamsSchema,
        querystring: Type.Object(
          {
            durationSeconds: Type.Optional(
              Type.Integer({ minimum: SESSION_SECONDS.min, maximum: SESSION_SECONDS.max }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: BrokerSessionSchema },
      },
    },
    async (request, reply) => {
      brokerToken(request)
      const { workspaceId, accountId } = request.params
      const { session, provider } = await mintSession(
        { em: request.em, vault: app.vault, providers: app.providers },
        {
          workspaceId,
          accountId,
          durationSeconds: request.query.durationSeconds ?? SESSION_SECONDS.max,
        },
      )
      const kind = 'sessionToken' in session ? 'an STS session' : 'an OAuth access token'
      request.audit.note({
        provider,
        message: `Handed out ${kind}, valid until ${session.expiresAt}`,
      })
      // A credential: never kept by a cache on its way out.
      reply.header('cache-control', 'no-store')
      return session
    },
  )

  // The proxy takes the request body as a stream: no parser of this scope reads it.
  await app.register(async (proxy) => {
    proxy.removeAllContentTypeParsers()
    proxy.addContentTypeParser('*', (_request, _payload, done) => done(null))
    // Before access control: with X-Cloudlink-Token, Authorization is the provider SDK's own.
    proxy.addHook('onRequest', async (request) => stashProviderAuthorization(request))

    proxy.route({
      method: METHODS,
      url: `${base}/proxy/*`,
      config: { access: 'member', token: 'accounts:use', audit: false },
      schema: {
        tags: ['broker'],
        params: Type.Object({ workspaceId: IdSchema, accountId: IdSchema, '*': Type.String() }),
      },
      handler: async (request, reply) => {
        const token = brokerToken(request)
        const { workspaceId, accountId } = request.params as {
          workspaceId: string
          accountId: string
        }
        const { path, query } = proxyParts(request.raw.url ?? '')
        // The caller going away ends the provider call too.
        const gone = new AbortController()
        reply.raw.once('close', () => {
          if (!reply.raw.writableFinished) gone.abort()
        })
        const answer = await broker.forward({
          em: request.em,
          workspaceId,
          accountId,
          token,
          method: request.method,
          path,
          query,
          headers: withProviderAuthorization(request),
          body: request.method === 'GET' || request.method === 'HEAD' ? null : request.raw,
          signal: gone.signal,
          revision: request.workspaceRevision,
        })
        reply.code(answer.status).headers(answer.headers)
        if (request.method === 'HEAD' || answer.status === 204 || answer.status === 304) {
          answer.body.resume()
          return reply.send()
        }
        return reply.send(answer.body)
      },
    })
  })
}

export default brokerRoutes
