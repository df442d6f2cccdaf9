import { bearerScheme } from '../core/broker.js'

/** The broker sends the stored API token (user or account token alike) as `Authorization: Bearer` to the API origin. */
export const broker = bearerScheme<{ token: string }>((c) => c.token)
