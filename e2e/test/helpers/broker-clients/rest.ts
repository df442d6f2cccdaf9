/** For providers without an npm SDK: requests built the way their official Go clients build them. */

/** A refused call, with the provider's answer (the Go clients turn it into their error types). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`provider answered ${status}: ${JSON.stringify(body)}`)
  }
}

/** Sends the request; a 4xx/5xx throws HttpError, an empty answer is null, else parsed JSON. */
export async function send(url: string, init: RequestInit): Promise<unknown> {
  const res = await fetch(url, init)
  const text = await res.text()
  let body: unknown = text
  try {
    body = text ? (JSON.parse(text) as unknown) : null
  } catch {
    // Not JSON: kept as text.
  }
  if (res.status >= 400) throw new HttpError(res.status, body)
  return body
}
