import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import {
  CreatedWebhookSchema,
  CreateWebhookBodySchema,
  IdSchema,
  UpdateWebhookBodySchema,
  WebhookDeliveryListSchema,
  WebhookListSchema,
  WebhookParamsSchema,
  WebhookSchema,
  WorkspaceParamsSchema,
} from '@cloudlink/shared'
import { urlPolicy } from '../../../domain/notifications/settings.js'
import { createWebhooksService } from '../../../domain/notifications/webhooks-service.js'

/** Only the origin goes into the audit trail: a receiver's path often carries its own secret. */
const origin = (url: string) => {
  try {
    return new URL(url).origin
  } catch {
    return 'an invalid URL'
  }
}

/** Owner-managed webhooks (contract: Notifications). Deliveries are the notify job's work. */
const webhooksRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const base = '/workspaces/:workspaceId/webhooks'
  const service = (request: FastifyRequest) =>
    createWebhooksService({ em: request.em, vault: app.vault, policy: urlPolicy(app.config) })
  const tags = ['notifications']

  app.get(
    base,
    {
      config: { access: 'owner', token: false },
      schema: { tags, params: WorkspaceParamsSchema, response: { 200: WebhookListSchema } },
    },
    async (request) => ({ items: await service(request).list(request.params.workspaceId) }),
  )

  app.post(
    base,
    {
      config: { access: 'owner', token: false, audit: 'webhook.create', sudo: true },
      schema: {
        tags,
        params: WorkspaceParamsSchema,
        body: CreateWebhookBodySchema,
        response: { 201: CreatedWebhookSchema },
      },
    },
    async (request, reply) => {
      const actor = await app.authenticateUser(request)
      request.audit.note({ message: `Webhook to ${origin(request.body.url)}` })
      const created = await service(request).create(request.params.workspaceId, actor, request.body)
      request.audit.note({
        message: `Webhook to ${origin(created.url)} for ${created.events.join(', ')}`,
      })
      return reply.code(201).send(created)
    },
  )

  app.patch(
    `${base}/:webhookId`,
    {
      config: { access: 'owner', token: false, audit: 'webhook.update' },
      schema: {
        tags,
        params: WebhookParamsSchema,
        body: UpdateWebhookBodySchema,
        response: { 200: WebhookSchema },
      },
    },
    async (request) => {
      const { workspaceId, webhookId } = request.params
      const updated = await service(request).update(workspaceId, webhookId, request.body)
      const changed = Object.keys(request.body).join(', ')
      request.audit.note({ message: `Webhook to ${origin(updated.url)}: ${changed} changed` })
      return updated
    },
  )

  app.delete(
    `${base}/:webhookId`,
    {
      config: { access: 'owner', token: false, audit: 'webhook.remove' },
      schema: { tags, params: WebhookParamsSchema, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      const { workspaceId, webhookId } = request.params
      const removed = await service(request).remove(workspaceId, webhookId)
      request.audit.note({ message: `Webhook to ${origin(removed.url)} removed` })
      return reply.code(204).send(null)
    },
  )

  app.post(
    `${base}/:webhookId/test`,
    {
      config: {
        access: 'owner',
        token: false,
        audit: 'webhook.test',
        // Each test is a request to the receiver: a button, not a traffic generator.
        rateLimit: { max: 30, timeWindow: '1 minute' },
      },
      schema: {
        tags,
        params: WebhookParamsSchema,
        response: { 202: Type.Object({ id: IdSchema }) },
      },
    },
    async (request, reply) => {
      const { workspaceId, webhookId } = request.params
      const queued = await service(request).test(workspaceId, webhookId)
      app.jobs.notify.wake()
      return reply.code(202).send(queued)
    },
  )

  app.get(
    `${base}/:webhookId/deliveries`,
    {
      config: { access: 'owner', token: false },
      schema: { tags, params: WebhookParamsSchema, response: { 200: WebhookDeliveryListSchema } },
    },
    async (request) => {
      const { workspaceId, webhookId } = request.params
      return { items: await service(request).deliveries(workspaceId, webhookId) }
    },
  )
}
export default webhooksRoutes
