import { bearerScheme } from '../core/broker.js'

/**
 * The broker sends the stored personal access token as `Authorization: Bearer` to the API origin;
 * an OAuth grant sends its fresh access token the same way (withOAuth adapts it).
 */
export const broker = bearerScheme<{ token: string }>((c) => c.token)
