import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SetupBodySchema, SetupResponseSchema, SetupStatusSchema } from '@cloudlink/shared'
import { runSetup, setupNeeded } from '../../../domain/members/members-service.js'
import { userDto, workspaceDto } from '../../../domain/members/dto.js'
import { assertNotCommon } from '../../../domain/auth/common-passwords.js'

/** First-run setup: creates the first owner and workspace, only while no user exists. */
const setupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/setup',
    {
      config: { access: 'public', token: false },
      schema: { tags: ['auth'], response: { 200: SetupStatusSchema } },
    },
    async (request) => ({ needed: await setupNeeded(request.em) }),
  )

  app.post(
    '/setup',
    {
      config: {
        access: 'public',
        token: false,
        audit: false,
        rateLimit: { max: 10, timeWindow: '1 minute' },
      },
      schema: { tags: ['auth'], body: SetupBodySchema, response: { 201: SetupResponseSchema } },
    },
    async (request, reply) => {
      await assertNotCommon(request.body.password, 'password')
      const { user, workspace } = await runSetup(request.em, app.passwords, request.body)
      const session = await app.startSession(request, reply, user)
      return reply
        .code(201)
        .send({ user: userDto(user), workspace: workspaceDto(workspace), ...session })
    },
  )
}
export default setupRoutes
