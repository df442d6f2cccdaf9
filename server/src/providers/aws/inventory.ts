import type { ServerInfo, ServerListResult } from '@cloudlink/shared'
import { UnreachableError, unreachable } from '../core/http.js'
import { rejected } from '../core/outcome.js'
import type { ProviderContext } from '../core/types.js'
import { callAws, credentialFailure, NAME, type AwsAnswer } from './client.js'
import { AWS_REGIONS } from './regions.js'
import type { AwsCredentials } from './sign.js'
import { child, childrenNamed, textAt, type XmlNode } from './xml.js'

/** Regions asked at once: EC2 throttles per account and action, and each call has a deadline. */
const CONCURRENCY = 4
/** The whole listing, every region and page, answers within this or is unreachable. */
export const LISTING_DEADLINE_MS = 60_000
/** 50 000 instances per region; past that the listing is cut rather than looping on a bug. */
const MAX_PAGES = 50

/** Answers that mean "this key may not look here", never "the key is bad". */
const REFUSED_HERE = ['UnauthorizedOperation', 'AuthFailure', 'OptInRequired']

/** EC2 answers a missing IAM permission with 403 UnauthorizedOperation, never with a bad-key code. */
export function ec2Failure(answer: AwsAnswer, action = 'ec2:DescribeInstances'): Error {
  if (answer.error?.code === 'UnauthorizedOperation')
    return rejected(
      `The key is valid but lacks the IAM permission ${action} (UnauthorizedOperation); attach a policy that allows it`,
      answer.res,
      'UnauthorizedOperation',
    )
  return credentialFailure(answer)
}

function toServer(item: XmlNode): ServerInfo {
  const id = textAt(item, 'instanceId') ?? ''
  const tags = childrenNamed(child(item, 'tagSet'), 'item')
  const name = textAt(
    tags.find((t) => textAt(t, 'key') === 'Name'),
    'value',
  )
  return {
    providerServerId: id,
    name: name ?? id,
    status: textAt(item, 'instanceState', 'name') ?? 'unknown',
    region: textAt(item, 'placement', 'availabilityZone') ?? null,
    ipv4: textAt(item, 'ipAddress') ?? null,
  }
}

/**
 * The regions enabled for the account (DescribeRegions without AllRegions lists exactly those:
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html). Without
 * ec2:DescribeRegions the home region is all we can tell.
 */
async function enabledRegions(
  ctx: ProviderContext,
  creds: AwsCredentials,
  home: string,
): Promise<{ regions: string[]; note?: string }> {
  const answer = await callAws(ctx, creds, 'ec2', home, { Action: 'DescribeRegions' })
  if (!answer.doc) {
    if (answer.error?.code === 'UnauthorizedOperation')
      return {
        regions: [home],
        note: `Only ${home} is listed: the key lacks ec2:DescribeRegions, which tells the enabled regions`,
      }
    throw ec2Failure(answer, 'ec2:DescribeRegions')
  }
  const names = childrenNamed(child(answer.doc, 'regionInfo'), 'item')
    .map((item) => textAt(item, 'regionName'))
    .filter((name): name is string => Boolean(name))
  const known = (AWS_REGIONS as readonly string[]).filter((r) => names.includes(r))
  const unknown = names.filter((r) => !known.includes(r))
  return {
    regions: known.includes(home) ? known : [home, ...known],
    ...(unknown.length
      ? { note: `Regions Cloudlink does not know yet are not listed: ${unknown.join(', ')}` }
      : {}),
  }
}

/** One region's instances, page by page with NextToken; null when the key may not look there. */
async function regionInstances(
  ctx: ProviderContext,
  creds: AwsCredentials,
  region: string,
  isHome: boolean,
  deadline: { at: number; ms: number },
): Promise<ServerInfo[] | null> {
  const servers: ServerInfo[] = []
  let nextToken = ''
  for (let page = 0; page < MAX_PAGES; page++) {
    if (Date.now() > deadline.at) throw timedOut(deadline.ms)
    const answer = await callAws(ctx, creds, 'ec2', region, {
      Action: 'DescribeInstances',
      MaxResults: '1000',
      ...(nextToken ? { NextToken: nextToken } : {}),
    })
    if (!answer.doc) {
      // An SCP denying a region, or a region disabled since DescribeRegions: not the key's fault.
      if (!isHome && REFUSED_HERE.includes(answer.error?.code ?? '')) return null
      throw ec2Failure(answer)
    }
    for (const reservation of childrenNamed(child(answer.doc, 'reservationSet'), 'item'))
      for (const item of childrenNamed(child(reservation, 'instancesSet'), 'item'))
        servers.push(toServer(item))
    nextToken = textAt(answer.doc, 'nextToken') ?? ''
    if (!nextToken) break
  }
  return servers
}

const timedOut = (ms: number) =>
  new UnreachableError(
    unreachable('timeout', `${NAME} did not list every region within ${ms / 1000} s`),
  )

/**
 * Every EC2 instance in every enabled region: DescribeRegions, then DescribeInstances per region
 * (following NextToken), a few regions at a time, under one deadline for the whole listing. A
 * region that fails to answer fails the listing (a partial inventory would drop its servers); one
 * the key may not look into is left out with a note.
 */
export async function listAllRegions(
  ctx: ProviderContext,
  creds: AwsCredentials,
  home: string,
  deadlineMs = LISTING_DEADLINE_MS,
): Promise<ServerListResult> {
  const deadline = Date.now() + deadlineMs
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut(deadlineMs)), deadlineMs)
  })
  const run = async (): Promise<ServerListResult> => {
    const { regions, note } = await enabledRegions(ctx, creds, home)
    const queue = [...regions]
    const byRegion = new Map<string, ServerInfo[] | null>()
    const worker = async () => {
      for (let region = queue.shift(); region; region = queue.shift())
        byRegion.set(
          region,
          await regionInstances(ctx, creds, region, region === home, {
            at: deadline,
            ms: deadlineMs,
          }),
        )
    }
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, regions.length) }, worker))
    const refused = regions.filter((r) => byRegion.get(r) === null)
    const notes = [
      ...(note ? [note] : []),
      ...(refused.length
        ? [`The key may not list instances in ${refused.join(', ')}; those regions are left out`]
        : []),
    ]
    return {
      outcome: 'listed',
      servers: regions.flatMap((r) => byRegion.get(r) ?? []),
      ...(notes.length ? { note: notes.join('. ') } : {}),
    }
  }
  try {
    return await Promise.race([run(), expired])
  } finally {
    clearTimeout(timer)
  }
}
