import { Transform, type Readable } from 'node:stream'
import { payloadTooLarge, validationFailed } from '../../errors.js'

/** Request bodies through the broker stop here; a provider API call has no business being larger. */
export const BROKER_BODY_LIMIT = 10 * 1024 * 1024

const tooLarge = () =>
  payloadTooLarge(`The request body is larger than ${BROKER_BODY_LIMIT / 1024 / 1024} MB`)

/** Thrown into a streamed body that passes the limit, so the forward can tell it from a network error. */
export class BodyTooLarge extends Error {
  constructor() {
    super('broker request body over the limit')
    this.name = 'BodyTooLarge'
  }
}

/** The caller's declared length: refused up front when it is over the limit. */
export function declaredLength(value: string | string[] | undefined): number | undefined {
  if (value === undefined) return undefined
  const text = Array.isArray(value) ? value[0] : value
  if (!/^\d{1,15}$/.test(text ?? '')) throw validationFailed('content-length', 'is not a length')
  const length = Number(text)
  if (length > BROKER_BODY_LIMIT) throw tooLarge()
  return length
}

/** The whole body, for schemes that sign it; never more than the limit is held. */
export async function readWhole(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += (chunk as Buffer).length
    if (size > BROKER_BODY_LIMIT) {
      body.destroy()
      throw tooLarge()
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks, size)
}

/** The body passed on as it arrives, cut off with BodyTooLarge past the limit. */
export function limited(body: Readable): Readable {
  let size = 0
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length
      if (size > BROKER_BODY_LIMIT) done(new BodyTooLarge())
      else done(null, chunk)
    },
  })
  body.on('error', (err) => counter.destroy(err))
  return body.pipe(counter)
}

export { tooLarge }
