import { createHash } from 'node:crypto'

/**
 * OVHcloud's request signature: `$1$` + hex SHA-1 over secret, consumer key, method, the full URL
 * (query included), the exact body bytes and the timestamp, joined with `+`.
 * @see https://github.com/ovh/go-ovh/blob/master/ovh/ovh.go (NewRequest)
 */
export function ovhSignature(
  applicationSecret: string,
  consumerKey: string,
  method: string,
  url: string,
  body: string,
  timestamp: number,
): string {
  const input = [applicationSecret, consumerKey, method.toUpperCase(), url, body, timestamp]
  return `$1$${createHash('sha1').update(input.join('+'), 'utf8').digest('hex')}`
}
