import { lookup as dnsLookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import ipaddr from 'ipaddr.js'

/** WEBHOOK_ALLOW_HTTP / WEBHOOK_ALLOW_PRIVATE. */
export interface UrlPolicy {
  allowHttp: boolean
  allowPrivate: boolean
}

export interface ResolvedAddress {
  address: string
  family: 4 | 6
}

/** Resolves a host name to every address it has; replaceable for tests (the DNS boundary). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>

export const systemResolver: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }))

/** A URL or address the policy refuses; `message` says why in words an owner can act on. */
export class UrlRefused extends Error {
  override name = 'UrlRefused'
}

/** Never a destination, whatever the installation allows. */
const NEVER = new Set(['unspecified', 'broadcast', 'multicast'])

/**
 * Whether an address may receive webhooks. Only globally routable unicast passes by default:
 * private, loopback, link-local, unique-local, CGNAT and every special or reserved range are out,
 * and an IPv4-mapped IPv6 address is judged as the IPv4 address it carries (ipaddr.process).
 * Prefixes that embed an IPv4 address (6to4, Teredo, NAT64) are special ranges too, so refused.
 */
export function addressAllowed(address: string, policy: Pick<UrlPolicy, 'allowPrivate'>): boolean {
  if (!ipaddr.isValid(address)) return false
  const range = ipaddr.process(address).range()
  if (NEVER.has(range)) return false
  return range === 'unicast' || policy.allowPrivate
}

const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1')

/** The scheme and form of a webhook URL: what can be judged without the network. */
export function parseWebhookUrl(raw: string, policy: UrlPolicy): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new UrlRefused('is not a valid URL')
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp))
    throw new UrlRefused(
      policy.allowHttp ? 'must be an http:// or https:// URL' : 'must be an https:// URL',
    )
  // A password in the URL would be shown in every listing of the webhook.
  if (url.username || url.password) throw new UrlRefused('must not contain user info')
  if (!url.hostname) throw new UrlRefused('has no host')
  return url
}

/**
 * Every address the URL's host resolves to, each checked against the policy. One refused address
 * refuses the URL: a name that mixes public and private answers is what DNS rebinding looks like.
 * The caller connects to these addresses and no others (see pinnedLookup).
 */
export async function resolveWebhookUrl(
  raw: string,
  policy: UrlPolicy,
  resolve: Resolver = systemResolver,
): Promise<{ url: URL; addresses: ResolvedAddress[] }> {
  const url = parseWebhookUrl(raw, policy)
  const host = bare(url.hostname)
  let addresses: ResolvedAddress[]
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }]
  else {
    try {
      addresses = await resolve(host)
    } catch {
      throw new UrlRefused(`host ${host} does not resolve`)
    }
    if (addresses.length === 0) throw new UrlRefused(`host ${host} does not resolve`)
  }
  for (const { address } of addresses)
    if (!addressAllowed(address, policy))
      throw new UrlRefused(
        `${host === address ? 'address' : `host ${host} resolves to`} ${address}, which is in a private, loopback, link-local or reserved range`,
      )
  return { url, addresses }
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | { address: string; family: number }[],
  family?: number,
) => void

/**
 * A `lookup` for net/tls.connect that answers with the addresses already checked, so the
 * connection goes to one of them and the name is never resolved a second time (a rebinding DNS
 * server gets no chance to answer differently between the check and the connect).
 */
export function pinnedLookup(addresses: ResolvedAddress[]) {
  return (_hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    const first = addresses[0] as ResolvedAddress
    if (options?.all)
      callback(
        null,
        addresses.map((a) => ({ address: a.address, family: a.family })),
      )
    else callback(null, first.address, first.family)
  }
}
