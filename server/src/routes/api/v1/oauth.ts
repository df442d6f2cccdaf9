import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import fastifyOauth2 from '@fastify/oauth2'
import { Type } from 'typebox'
import {
  IdSchema,
  LabelSchema,
  OAUTH_LANDING_PATH,
  PROVIDER_IDS,
  type OAuthErrorCode,
  type OAuthLandingQuery,
  type ProviderId,
} from '@cloudlink/shared'
import { CloudAccountEntity } from '../../../db/entities/index.js'
import { forbidden, notFound, validationFailed } from '../../../errors.js'
import { oauthApp } from '../../../providers/core/oauth/apps.js'
import { completeAuthorization, ExchangeError, OAuthFailure } from '../../../domain/oauth/flow.js'
import { parseTokenSet } from '../../../providers/core/oauth/grant.js'
import type { OAuthSpec, TokenSet } from '../../../providers/core/oauth/spec.js'
import {
  bindingCookieName,
  codeChallenge,
  createAuthorization,
  sha256,
  STATE_TTL_MS,
  takeAuthorization,
} from '../../../domain/oauth/states.js'
import { tokenError } from '../../../providers/core/oauth/token.js'
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

/** The simple-oauth2 client that @fastify/oauth2 configures and exposes as `.oauth2`. */
interface AuthorizationCodeClient {
  authorizeURL(params: Record<string, string>): string
  getToken(params: Record<string, string>): Promise<{ token: Record<string, unknown> }>
}

interface WreckError {
  output?: { statusCode?: number }
  data?: { isResponseError?: boolean; payload?: unknown }
}

const pascal = (id: string) => id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())

/** The token endpoint's refusal, without anything from the request (it carried the secret). */
function exchangeError(err: unknown, name: string): ExchangeError {
  const e = (err ?? {}) as WreckError
  const status = e.output?.statusCode ?? 0
  if (e.data?.isResponseError && status >= 400 && status < 500 && status !== 429) {
    let payload = e.data.payload
    if (Buffer.isBuffer(payload))
      try {
        payload = JSON.parse(payload.toString('utf8'))
      } catch {
        payload = undefined
      }
    const { error, description } = tokenError(payload)
    return new ExchangeError(
      'refused',
      error,
      `${name} refused to complete the authorization (${error || `HTTP ${status}`}${description ? `: ${description}` : ''}); start again`,
    )
  }
  if (status === 504)
    return new ExchangeError('unreachable', '', `${name} did not answer in time; start again`)
  return new ExchangeError(
    'unreachable',
    '',
    `Could not reach ${name} to complete the authorization`,
  )
}

/**
 * One-click connect (authorization code + PKCE + state) for every provider module with an OAuth
 * spec. @fastify/oauth2 configures each provider's client (authorize URL, code exchange); the state
 * and the PKCE verifier are kept server-side, single-use, bound to the user, the workspace and the
 * browser, instead of in the plugin's cookies. Token renewal is not here: the recheck worker threads
 * renew tokens without Fastify (providers/core/oauth/token.ts).
 * @see https://github.com/fastify/fastify-oauth2
 */
const oauthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const secure = (app.config.PUBLIC_URL ?? '').startsWith('https://')

  for (const provider of PROVIDER_IDS) {
    const module = app.providers.get(provider)
    const spec = module.oauth
    if (!spec) continue
    const name = module.descriptor.name
    const client = await configureClient(provider, spec)

    const exchange = async (code: string, verifier: string): Promise<TokenSet> => {
      const settings = oauthApp(app.config, provider, spec)
      if (!client || !settings)
        throw new ExchangeError('refused', 'invalid_client', `${name} is not configured`)
      let answer: { token: Record<string, unknown> }
      try {
        answer = await client.getToken({
          code,
          redirect_uri: settings.redirectUri,
          code_verifier: verifier,
          ...spec.tokenParams,
        })
      } catch (err: unknown) {
        throw exchangeError(err, name)
      }
      const tokens = parseTokenSet(answer.token)
      if (!tokens)
        throw new ExchangeError(
          'unreachable',
          '',
          `${name} sent a token answer that could not be read`,
        )
      return tokens
    }

    app.get(
      `/oauth/${provider}/start`,
      {
        // `user`, not `owner`: the workspace is in the query, so the role is checked below.
        config: { access: 'user', rateLimit: { max: 30, timeWindow: '1 minute' } },
        schema: { tags: ['oauth'], querystring: StartQuerySchema },
      },
      async (request, reply) => {
        const { workspaceId, accountId } = request.query
        const user = await app.authenticate(request)
        const role = await workspaceRole(request, workspaceId)
        // A non-member learns nothing, not even that the workspace exists.
        if (!role) throw notFound('Workspace')
        if (role !== 'owner') throw forbidden('Only workspace owners can connect cloud accounts')
        const settings = oauthApp(app.config, provider, spec)
        if (!client || !settings)
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
        const url = client.authorizeURL({
          redirect_uri: settings.redirectUri,
          scope: spec.scopes.join(' '),
          state,
          code_challenge: codeChallenge(verifier),
          code_challenge_method: 'S256',
          ...spec.authorizeParams,
        })
        return reply.redirect(url, 302)
      },
    )

    app.get(
      `/oauth/${provider}/callback`,
      {
        config: {
          access: 'public',
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
        try {
          const { accountId } = await completeAuthorization(
            { em: request.em, vault: app.vault, providers: app.providers },
            {
              provider,
              pending,
              ...(q.code === undefined ? {} : { code: q.code }),
              ...(q.error === undefined ? {} : { error: q.error }),
              ...(q.error_description === undefined
                ? {}
                : { errorDescription: q.error_description }),
              ip: request.ip,
              exchange,
            },
          )
          return done({ connected: accountId })
        } catch (err: unknown) {
          if (err instanceof OAuthFailure) return fail(err.code, err.message)
          app.log.error({ reqId: request.id, provider, err }, 'oauth callback failed')
          return fail('provider_error', 'The connection could not be completed')
        }
      },
    )
  }

  /**
   * Registers @fastify/oauth2 for a provider whose app is configured, pointed at the provider's
   * effective origins (PROVIDER_URL_<ID>, sandbox simulators). null while it is not configured.
   */
  async function configureClient(
    provider: ProviderId,
    spec: OAuthSpec,
  ): Promise<AuthorizationCodeClient | null> {
    const settings = oauthApp(app.config, provider, spec)
    if (!settings) return null
    const http = app.providers.context(provider).http
    const name = `cloudlink${pascal(provider)}`
    await app.register(fastifyOauth2, {
      name,
      scope: spec.scopes,
      credentials: {
        client: { id: settings.clientId, secret: settings.clientSecret },
        auth: {
          authorizeHost: http.url(spec.authorize.origin, ''),
          authorizePath: spec.authorize.path,
          tokenHost: http.url(spec.token.origin, ''),
          tokenPath: spec.token.path,
        },
        // Client id and secret in the form body: every provider here accepts that form.
        options: { authorizationMethod: 'body' },
        http: { timeout: app.config.PROVIDER_TIMEOUT_MS },
      },
      callbackUri: settings.redirectUri,
      userAgent: 'Cloudlink/1.0',
    })
    const namespace = app[`oauth2${pascal(name)}` as `oauth2C${string}`]
    if (!namespace) throw new Error(`@fastify/oauth2 did not register ${name}`)
    // Documented: the namespace carries the simple-oauth2 client as `oauth2`.
    return (namespace as unknown as { oauth2: AuthorizationCodeClient }).oauth2
  }
}

function toSpa(reply: FastifyReply, query: OAuthLandingQuery) {
  return reply.redirect(`${OAUTH_LANDING_PATH}?${new URLSearchParams(query).toString()}`, 302)
}

export default oauthRoutes
