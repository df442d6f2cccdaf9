import { randomBytes, randomUUID } from 'node:crypto'
import type { EntityManager } from '@mikro-orm/postgresql'
import {
  WEBHOOK_SECRET_PREFIX,
  type CreateWebhookBody,
  type UpdateWebhookBody,
  type Webhook as WebhookDto,
  type WebhookDelivery,
} from '@cloudlink/shared'
import { WebhookEntity, type UserRef, type Webhook } from '../../db/entities/index.js'
import { conflict, notFound, validationFailed } from '../../errors.js'
import type { Vault } from '../vault/vault.js'
import { recordEvent } from './events.js'
import { ATTEMPT_LOG } from './webhook-outbox.js'
import { resolveWebhookUrl, UrlRefused, type Resolver, type UrlPolicy } from './url-policy.js'

/** Enough for every system a team wires up; a cap keeps one workspace from fanning out without end. */
export const MAX_WEBHOOKS = 20

export interface WebhookDeps {
  em: EntityManager
  vault: Vault
  policy: UrlPolicy
  resolve?: Resolver
}

/** The URL policy at save time; the same check runs again before every delivery. */
async function checkUrl(deps: WebhookDeps, url: string): Promise<string> {
  try {
    return (await resolveWebhookUrl(url, deps.policy, deps.resolve)).url.href
  } catch (err: unknown) {
    if (err instanceof UrlRefused) throw validationFailed('url', err.message)
    throw err
  }
}

interface Extra {
  pending: number
  creator: { id: string; name: string; email: string } | null
}

const dto = (w: Webhook, extra: Extra): WebhookDto => ({
  id: w.id,
  url: w.url,
  description: w.description,
  events: w.events,
  enabled: w.enabled,
  disabledReason: w.disabledReason ?? null,
  failingSince: w.failingSince ? w.failingSince.toISOString() : null,
  pending: extra.pending,
  createdAt: w.createdAt.toISOString(),
  updatedAt: w.updatedAt.toISOString(),
  createdBy: extra.creator,
})

async function extras(em: EntityManager, webhooks: Webhook[]): Promise<Map<string, Extra>> {
  const out = new Map<string, Extra>()
  if (webhooks.length === 0) return out
  const rows = await em.execute<
    { id: string; pending: number; uid: string | null; name: string | null; email: string | null }[]
  >(
    `select w.id, u.id as uid, u.name, u.email,
            (select count(*)::int from webhook_deliveries d
              where d.webhook_id = w.id and d.status = 'pending') as pending
       from webhooks w left join users u on u.id = w.created_by
      where w.id = any(array[?]::uuid[])`,
    [webhooks.map((w) => w.id)],
  )
  for (const r of rows)
    out.set(r.id, {
      pending: Number(r.pending),
      creator: r.uid ? { id: r.uid, name: r.name ?? '', email: r.email ?? '' } : null,
    })
  return out
}

const toDto = async (em: EntityManager, w: Webhook) =>
  dto(w, (await extras(em, [w])).get(w.id) ?? { pending: 0, creator: null })

async function find(em: EntityManager, workspaceId: string, webhookId: string) {
  const webhook = await em.findOne(WebhookEntity, { id: webhookId, workspaceId })
  if (!webhook) throw notFound('Webhook')
  return webhook
}

/** Webhooks for the routes: plain functions over an entity manager, no Fastify. */
export function createWebhooksService(deps: WebhookDeps) {
  const { em, vault } = deps
  return {
    async list(workspaceId: string): Promise<WebhookDto[]> {
      const rows = await em.find(WebhookEntity, { workspaceId }, { orderBy: { createdAt: 'asc' } })
      const more = await extras(em, rows)
      return rows.map((w) => dto(w, more.get(w.id) ?? { pending: 0, creator: null }))
    },

    /** The secret is returned this once; only its sealed form is stored. */
    async create(workspaceId: string, actor: UserRef, body: CreateWebhookBody) {
      const url = await checkUrl(deps, body.url)
      const id = randomUUID()
      const secret = WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64')
      const sealed = vault.seal({ secret }, { workspaceId, accountId: id })
      const webhook = await em.transactional(async (tx) => {
        // Creations in one workspace take turns, so the cap holds under concurrent requests.
        await tx.execute(`select pg_advisory_xact_lock(hashtext(?))`, [`webhooks:${workspaceId}`])
        if ((await tx.count(WebhookEntity, { workspaceId })) >= MAX_WEBHOOKS)
          throw conflict(`A workspace has at most ${MAX_WEBHOOKS} webhooks`)
        return tx.create(WebhookEntity, {
          id,
          workspaceId,
          url,
          description: body.description?.trim() ?? '',
          events: body.events,
          enabled: true,
          disabledReason: null,
          failingSince: null,
          ...sealed,
          createdBy: actor.id,
        })
      })
      return { ...(await toDto(em, webhook)), secret }
    },

    async update(workspaceId: string, webhookId: string, body: UpdateWebhookBody) {
      const url = body.url === undefined ? undefined : await checkUrl(deps, body.url)
      const webhook = await em.transactional(async (tx) => {
        const w = await find(tx, workspaceId, webhookId)
        if (url !== undefined) w.url = url
        if (body.events !== undefined) w.events = body.events
        if (body.description !== undefined) w.description = body.description.trim()
        if (body.enabled === true && !w.enabled) {
          // Turned on again: a fresh start, the old run of failures no longer counts.
          w.enabled = true
          w.disabledReason = null
          w.failingSince = null
        } else if (body.enabled === false && w.enabled) {
          w.enabled = false
          w.disabledReason = null
          await tx.execute(
            `update webhook_deliveries set status = 'cancelled', finished_at = now()
              where webhook_id = ? and status = 'pending' and claimed_until is null`,
            [w.id],
          )
        }
        return w
      })
      return toDto(em, webhook)
    },

    async remove(workspaceId: string, webhookId: string) {
      const webhook = await find(em, workspaceId, webhookId)
      await em.execute(`delete from webhooks where id = ?`, [webhook.id])
      return webhook
    },

    /** Queues a `test` event for this webhook alone; the notify job delivers it like any other. */
    async test(workspaceId: string, webhookId: string): Promise<{ id: string }> {
      const webhook = await find(em, workspaceId, webhookId)
      const id = await em.transactional((tx) =>
        recordEvent(tx, { workspaceId, type: 'test', webhookId: webhook.id, data: {} }),
      )
      return { id }
    },

    /** The delivery log, newest first: the last attempts (at most 100 are kept). */
    async deliveries(workspaceId: string, webhookId: string): Promise<WebhookDelivery[]> {
      const webhook = await find(em, workspaceId, webhookId)
      const rows = await em.execute<
        {
          event_id: string
          event: WebhookDelivery['event']
          at: Date | string
          attempt: number
          status: WebhookDelivery['status']
          response_status: number | null
          duration_ms: number | null
          error: string | null
        }[]
      >(
        `select event_id, event, at, attempt, status, response_status, duration_ms, error
           from webhook_attempts where webhook_id = ? order by at desc, id desc limit ${ATTEMPT_LOG}`,
        [webhook.id],
      )
      return rows.map((r) => ({
        id: r.event_id,
        event: r.event,
        at: new Date(r.at).toISOString(),
        attempt: r.attempt,
        status: r.status,
        responseStatus: r.response_status,
        durationMs: r.duration_ms,
        ...(r.error ? { error: r.error } : {}),
      }))
    },
  }
}

export type WebhooksService = ReturnType<typeof createWebhooksService>
