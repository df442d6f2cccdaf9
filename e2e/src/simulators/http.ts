import type { IncomingMessage, ServerResponse } from 'node:http'
import type { SimRequest, SimResponse } from './spec.js'

/** Node request → the provider-neutral view the hooks get (body read in full, headers flattened). */
export async function toSimRequest(
  req: IncomingMessage,
  fallbackOrigin: string,
): Promise<SimRequest> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const rawBody = Buffer.concat(chunks)
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
  }
  const origin = headers.host ? `http://${headers.host}` : fallbackOrigin
  return {
    method: req.method ?? 'GET',
    url: new URL(req.url ?? '/', origin),
    headers,
    body: rawBody.toString('utf8'),
    rawBody,
    clientIp: req.socket.remoteAddress ?? 'unknown',
  }
}

export function send(res: ServerResponse, answer: SimResponse): void {
  if (res.destroyed) return
  const isRaw = typeof answer.body === 'string'
  const body =
    answer.body === undefined ? '' : isRaw ? (answer.body as string) : JSON.stringify(answer.body)
  const headers: Record<string, string> = { ...answer.headers }
  const hasType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')
  if (body && !hasType) headers['content-type'] = 'application/json'
  res.writeHead(answer.status, headers).end(body)
}

export const json = (status: number, body?: unknown, headers?: Record<string, string>) =>
  ({ status, body, headers }) satisfies SimResponse

/** Parses a control-API body; bad JSON is the caller's mistake, reported as 400. */
export function parseJson(body: string): unknown {
  if (!body.trim()) return {}
  try {
    return JSON.parse(body) as unknown
  } catch {
    throw new BadInput('body is not valid JSON')
  }
}

export class BadInput extends Error {}
export class UnknownCredential extends Error {
  constructor() {
    super('unknown credential')
  }
}

export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/')
  const got = path.split('/')
  if (want.length !== got.length) return null
  const params: Record<string, string> = {}
  for (const [i, part] of want.entries()) {
    const actual = got[i] as string
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(actual)
    else if (part !== actual) return null
  }
  return params
}

/** A provider request's JSON object body, or null when it is missing, not JSON or not an object. */
export function jsonBody(req: SimRequest): Record<string, unknown> | null {
  try {
    const value = JSON.parse(req.body) as unknown
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null
  } catch {
    return null
  }
}
