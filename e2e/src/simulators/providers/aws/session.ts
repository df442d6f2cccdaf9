import { randomBytes, randomUUID } from 'node:crypto'
import { ALNUM, chars, randomRng } from '../../generate.js'
import { json } from '../../http.js'
import type { Account, RouteContext } from '../../spec.js'
import { params } from './params.js'
import { escape, stsError } from './xml.js'

/**
 * STS GetSessionToken (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html):
 * a temporary ASIA… key, its secret and session token, good for DurationSeconds (900 s to 36 h,
 * default 12 h) on the same account. Refused with session credentials, as AWS does.
 */

interface Session {
  account: Account
  expiresAt: number
}

/** Keys are random, so every simulator in the process can share one table. */
const sessions = new Map<string, Session>()
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/**
 * The account a session key acts for: its own credentials, everything else (servers, identity,
 * revocation) read through from the account that minted it. 'expired' once its time is up.
 */
export function sessionAccount(accessKeyId: string, now: number): Account | 'expired' | undefined {
  const session = sessions.get(accessKeyId)
  if (!session) return undefined
  return now >= session.expiresAt ? 'expired' : session.account
}

export function getSessionToken({ req, account, now }: RouteContext) {
  if (account.credentials.sessionToken)
    return stsError(403, 'AccessDenied', 'Cannot call GetSessionToken with session credentials')
  const raw = params(req).get('DurationSeconds')
  const seconds = raw === null ? 43_200 : Number(raw)
  if (!Number.isInteger(seconds) || seconds < 900 || seconds > 129_600)
    return stsError(
      400,
      'ValidationError',
      `1 validation error detected: Value '${raw ?? ''}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 129600`,
    )
  const rng = randomRng()
  const credentials = {
    accessKeyId: `ASIA${chars(rng, BASE32, 16)}`,
    secretAccessKey: chars(rng, `${ALNUM}+/`, 40),
    sessionToken: randomBytes(96).toString('base64'),
  }
  const expiresAt = now + seconds * 1000
  sessions.set(credentials.accessKeyId, {
    account: Object.create(account, { credentials: { value: credentials } }) as Account,
    expiresAt,
  })
  return json(
    200,
    `<GetSessionTokenResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <GetSessionTokenResult>\n    <Credentials>\n      <SessionToken>${escape(credentials.sessionToken)}</SessionToken>\n      <SecretAccessKey>${escape(credentials.secretAccessKey)}</SecretAccessKey>\n      <Expiration>${new Date(expiresAt).toISOString()}</Expiration>\n      <AccessKeyId>${credentials.accessKeyId}</AccessKeyId>\n    </Credentials>\n  </GetSessionTokenResult>\n  <ResponseMetadata>\n    <RequestId>${randomUUID()}</RequestId>\n  </ResponseMetadata>\n</GetSessionTokenResponse>\n`,
    { 'content-type': 'text/xml' },
  )
}
