import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { Type } from 'typebox'
import {
  IdSchema,
  LabelSchema,
  OAUTH_LANDING_PATH,
  PROVIDER_IDS,
  type OAuthErrorCode,
  type OAuthLandingQuery,
} from '@cloudlink/shared'
import { CloudAccountEntity } from '../../../db/entities/index.js'
import { forbidden, notFound, validationFailed } from '../../../errors.js'
import {
  completeAuthorization,
  OAuthFailure,
  type CallbackResult,
} from '../../../domain/oauth/flow.js'
import { authorizationUrl } from '../../../providers/core/oauth/token.js'
import {
  bindingCookieName,
  codeChallenge,
  createAuthorization,
  sha256,
  STATE_TTL_MS,
  takeAuthorization,
} from '../../../domain/oauth/states.js'
import { workspaceRole } from '../../../plugins/core/rbac.js'

const COOKIE_PATH = '/api/v1/oauth'
/** Far above any real code or state; a longer value is junk, not worth a database round trip. */
const MAX_PARAM = 4096

const StartQuerySchema = Type.Object(
  {
    workspaceId: IdSchema,
    label: Type.Optional(LabelSchema),
    /** Reconnect: replace this account's grant, only if the new authorization succeeds. */
    accountId: Type.Optional(IdSchema),
  },
  { additionalProperties: false },
)

// Providers add their own parameters (session_state, scope, authuser, iss): they are ignored.
const CallbackQuerySchema = Type.Object({
  code: Type.Optional(Type.String()),
  state: Type.Optional(Type.String()),
  error: Type.Optional(Type.String()),
  error_description: Type.Optional(Type.String()),
})

/**
 * One-click connect (authorization code + PKCE + state) for every provider module with an OAuth
 * spec. The state and the PKCE verifier are kept server-side, single-use, bound to the user, the
 * workspace and the browser. The authorize URL, the code exchange and token renewal all go through
 * the provider's own HTTP client (providers/core/oauth/token.ts), plain code the recheck worker
 * threads share.
 */
const oauthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const secure = (app.config.PUBLIC_URL ?? '').startsWith('https://')

  for (const provider of PROVIDER_IDS) {
    const module = app.providers.get(provider)
    const spec = module.oauth
    if (!spec) continue
    const name = module.descriptor.name

    app.get(
      `/oauth/${provider}/start`,
      {
        // `user`, not `owner`: the workspace is in the query, so the role is checked below.
        config: { access: 'user', token: false, rateLimit: { max: 30, timeWindow: '1 minute' } },
        schema: { tags: ['oauth'], querystring: StartQuerySchema },
      },
      async (request, reply) => {
        const { workspaceId, accountId } = request.query
        const user = await app.authenticateUser(request)
        const role = await workspaceRole(request, workspaceId)
        // A non-member learns nothing, not even that the workspace exists.
        if (!role) throw notFound('Workspace')
        if (role !== 'owner') throw forbidden('Only workspace owners can connect cloud accounts')
        const ctx = app.providers.context(provider)
        const settings = ctx.oauthApp?.() ?? null
        if (!settings)
          throw validationFailed(
            'provider',
            `${name} one-click connect is not available in this installation (no OAuth app configured)`,
          )
        if (accountId) {
          const account = await request.em.findOne(CloudAccountEntity, {
            id: accountId,
            workspaceId,
          })
          if (account?.provider !== provider) throw notFound('Cloud account')
        }
        const label = request.query.label?.trim() || null
        const { state, verifier, browserToken } = await createAuthorization(
          { em: request.em, vault: app.vault },
          { provider, workspaceId, userId: user.id, accountId: accountId ?? null, label },
        )
        // Lax, so it comes back with the provider's top-level redirect (the session cookie is
        // Strict and does not); it proves the callback arrives in the browser that started.
        reply.setCookie(bindingCookieName(state), browserToken, {
          path: COOKIE_PATH,
          httpOnly: true,
          sameSite: 'lax',
          secure,
          maxAge: STATE_TTL_MS / 1000,
        })
        const url = authorizationUrl(ctx, spec, settings, {
          state,
          codeChallenge: codeChallenge(verifier),
        })
        return reply.redirect(url, 302)
      },
    )

    app.get(
      `/oauth/${provider}/callback`,
      {
        // Audited like a connect (or a reconnect, as the flow notes) once the state checks out.
        config: {
          access: 'public',
          token: false,
          audit: 'account.connect',
          rateLimit: { max: 60, timeWindow: '1 minute' },
          secretParams: ['code', 'state'],
        },
        // The request line carries the code and state: Fastify's request log stays off here (and
        // would redact them), and the handler logs the outcome without them.
        logLevel: 'warn',
        schema: { tags: ['oauth'], querystring: CallbackQuerySchema },
      },
      async (request, reply) => {
        const q = request.query
        const done = (landing: OAuthLandingQuery, detail?: string) => {
          // A GET that writes: the browser's next request (the account list) must read anew.
          app.readCache.forgetAll()
          const outcome = 'oauthError' in landing ? landing.oauthError : 'connected'
          app.log.info({ reqId: request.id, provider, outcome, detail }, 'oauth callback')
          return toSpa(reply, landing)
        }
        // The SPA gets the code only and says it in its own words: free text in its address would
        // be shown to whoever follows a crafted link. The detail is logged (and audited by the flow).
        const fail = (code: OAuthErrorCode, detail: string) =>
          done({ oauthError: code, provider }, detail)

        const state = q.state ?? ''
        if (!state || state.length > MAX_PARAM || (q.code?.length ?? 0) > MAX_PARAM)
          return fail('invalid_state', 'The authorization link is incomplete; start again')
        const cookie = bindingCookieName(state)
        const browserToken = request.cookies[cookie]
        reply.clearCookie(cookie, { path: COOKIE_PATH })
        const pending = await takeAuthorization({ em: request.em, vault: app.vault }, state)
        if (pending === 'unknown' || (pending !== 'expired' && pending.provider !== provider))
          return fail(
            'invalid_state',
            'This authorization was already used or is unknown; start again',
          )
        if (pending === 'expired')
          return fail('expired_state', 'The authorization took longer than 10 minutes; start again')
        if (!browserToken || sha256(browserToken) !== pending.browserHash)
          return fail(
            'browser_mismatch',
            'Finish the authorization in the browser (and at the address) where it was started',
          )
        let result: CallbackResult
        try {
          result = await completeAuthorization(
            { em: request.em, vault: app.vault, providers: app.providers },
            {
              provider,
              pending,
              ...(q.code === undefined ? {} : { code: q.code }),
              ...(q.error === undefined ? {} : { error: q.error }),
              ...(q.error_description === undefined
                ? {}
                : { errorDescription: q.error_description }),
            },
          )
        } catch (err: unknown) {
          result = {
            failure: new OAuthFailure('provider_error', 'The connection could not be completed'),
            error: err,
            audit: {},
          }
        }
        request.audit.note(result.audit)
        if ('accountId' in result) return done({ connected: result.accountId })
        if (result.error !== undefined)
          app.log.error({ reqId: request.id, provider, err: result.error }, 'oauth callback failed')
        return fail(result.failure.code, result.failure.message)
      },
    )
  }
}

function toSpa(reply: FastifyReply, query: OAuthLandingQuery) {
  return reply.redirect(`${OAUTH_LANDING_PATH}?${new URLSearchParams(query).toString()}`, 302)
}

export default oauthRoutes
