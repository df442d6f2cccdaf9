import { bearerScheme } from '../core/broker.js'

/** The broker sends the stored API token as `Authorization: Bearer` to the API origin. */
export const broker = bearerScheme<{ token: string }>((c) => c.token)
