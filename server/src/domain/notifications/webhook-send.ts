import { Agent, request } from 'undici'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import type { EventType } from '@cloudlink/shared'
import {
  pinnedLookup,
  resolveWebhookUrl,
  UrlRefused,
  type Resolver,
  type UrlPolicy,
} from './url-policy.js'

export interface OutgoingMessage {
  /** `webhook-id`: the event's id, the same on every attempt. */
  id: string
  type: EventType
  /** When the event happened (the body's `timestamp`). */
  at: Date
  workspaceId: string
  data: Record<string, unknown>
}

export interface AttemptResult {
  ok: boolean
  responseStatus: number | null
  durationMs: number
  /** Why it failed, in words; no secret, no response body. */
  error?: string
}

/** The Standard Webhooks body: the same bytes on every attempt of one message. */
export const messageBody = (m: OutgoingMessage): string =>
  JSON.stringify({
    type: m.type,
    timestamp: m.at.toISOString(),
    data: { workspaceId: m.workspaceId, ...m.data },
  })

/** Standard Webhooks headers for one attempt, signed with the webhook's `whsec_` secret. */
export function signedHeaders(secret: string, m: OutgoingMessage, body: string, now: Date) {
  return {
    'webhook-id': m.id,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': new StandardWebhook(secret).sign(m.id, now, body),
  }
}

function describe(err: unknown, timedOut: boolean): string {
  if (timedOut) return 'timed out'
  if (err instanceof UrlRefused) return `refused: URL ${err.message}`
  const code = (err as { code?: unknown })?.code
  if (typeof code === 'string') {
    if (code === 'ECONNREFUSED') return 'connection refused'
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset'
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found'
    if (code.startsWith('ERR_TLS') || code.includes('CERT')) return `TLS error (${code})`
    return `network error (${code})`
  }
  return 'network error'
}

/**
 * One delivery attempt. The URL is checked again now, its host resolved and every address checked,
 * and the connection is pinned to those addresses (see pinnedLookup), so a name that resolved to a
 * public address when it was saved cannot be pointed at a private one later. No redirect is
 * followed (it could lead anywhere) and the whole attempt, body included, has one deadline.
 */
export async function sendAttempt(input: {
  url: string
  secret: string
  message: OutgoingMessage
  policy: UrlPolicy
  timeoutMs: number
  resolve?: Resolver
  signal?: AbortSignal
  now?: Date
}): Promise<AttemptResult> {
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  const deadline = AbortSignal.timeout(input.timeoutMs)
  const signal = input.signal ? AbortSignal.any([deadline, input.signal]) : deadline
  let agent: Agent | undefined
  try {
    const { url, addresses } = await resolveWebhookUrl(input.url, input.policy, input.resolve)
    agent = new Agent({
      connect: { lookup: pinnedLookup(addresses), timeout: input.timeoutMs },
      connections: 1,
      pipelining: 0,
    })
    const body = messageBody(input.message)
    const res = await request(url, {
      method: 'POST',
      dispatcher: agent,
      signal,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Cloudlink-Webhooks/1.0',
        ...signedHeaders(input.secret, input.message, body, input.now ?? new Date()),
      },
      body,
    })
    // The answer is not used; read a little of it so the connection ends cleanly, then drop it.
    await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined)
    const ok = res.statusCode >= 200 && res.statusCode < 300
    return {
      ok,
      responseStatus: res.statusCode,
      durationMs: elapsed(),
      ...(ok ? {} : { error: `receiver answered ${res.statusCode}` }),
    }
  } catch (err: unknown) {
    return {
      ok: false,
      responseStatus: null,
      durationMs: elapsed(),
      error: describe(err, deadline.aborted),
    }
  } finally {
    await agent?.destroy().catch(() => undefined)
  }
}
