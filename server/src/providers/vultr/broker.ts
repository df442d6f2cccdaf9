import { bearerScheme } from '../core/broker.js'

/** The broker sends the stored API key as `Authorization: Bearer` to the API origin. */
export const broker = bearerScheme<{ apiKey: string }>((c) => c.apiKey)
