import { constants, createPrivateKey, sign, type KeyObject } from 'node:crypto'

/**
 * TransIP `/v6/auth` signs the exact request body with RSASSA-PKCS1-v1_5 over SHA-512, base64.
 * @see https://github.com/transip/gotransip/blob/master/authenticator/sign.go
 */
export function signAuthBody(body: string, key: KeyObject | string): string {
  return sign('sha512', Buffer.from(body, 'utf8'), {
    key: typeof key === 'string' ? createPrivateKey(key) : key,
    padding: constants.RSA_PKCS1_PADDING,
  }).toString('base64')
}

export type KeyReading = { key: KeyObject; pem: string } | { problem: string }

const PASSPHRASE =
  'is protected by a passphrase; export it without one first (openssl pkey -in key.pem -out plain.pem)'

/**
 * Reads a pasted private key, or says in the user's terms what is wrong with it. Runs before any
 * request, so a damaged paste never costs a login attempt. PKCS#8 and PKCS#1 are both accepted
 * (the TransIP panel hands out PKCS#8; its PHP client also takes `BEGIN RSA PRIVATE KEY`).
 */
export function readPrivateKey(text: string): KeyReading {
  // Pastes arrive with CRLF, indentation or a trailing comment line; only the PEM block counts.
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
  if (
    lines.some(
      (l) =>
        /^-----BEGIN ENCRYPTED PRIVATE KEY-----$/.test(l) || /^Proc-Type:\s*4,ENCRYPTED$/i.test(l),
    )
  )
    return { problem: PASSPHRASE }
  const begin = lines.findIndex((l) => /^-----BEGIN [A-Z0-9 ]+-----$/.test(l))
  const label = /^-----BEGIN ([A-Z0-9 ]+)-----$/.exec(lines[begin] ?? '')?.[1]
  if (!label)
    return { problem: 'is not a PEM key (it should start with -----BEGIN PRIVATE KEY-----)' }
  if (label === 'OPENSSH PRIVATE KEY')
    return {
      problem: 'is an OpenSSH key; paste the PEM key TransIP showed (-----BEGIN PRIVATE KEY-----)',
    }
  if (label.endsWith('PUBLIC KEY'))
    return {
      problem:
        'is a public key; paste the private key TransIP showed when the key pair was created',
    }
  if (!label.endsWith('PRIVATE KEY')) return { problem: `is a ${label}, not a private key` }
  const end = lines.indexOf(`-----END ${label}-----`, begin + 1)
  if (end < 0)
    return {
      problem: `is incomplete: the -----END ${label}----- line is missing; copy the whole key`,
    }
  let key: KeyObject
  try {
    key = createPrivateKey(`${lines.slice(begin, end + 1).join('\n')}\n`)
  } catch (err: unknown) {
    const code = err instanceof Error && 'code' in err ? String(err.code) : ''
    if (/PASSPHRASE|INTERRUPTED_OR_CANCELLED|BAD_DECRYPT/.test(code)) return { problem: PASSPHRASE }
    return {
      problem:
        'could not be read: the text between the BEGIN and END lines is damaged or incomplete',
    }
  }
  if (key.asymmetricKeyType !== 'rsa')
    return {
      problem: `is an ${String(key.asymmetricKeyType).toUpperCase()} key; TransIP key pairs are RSA`,
    }
  return { key, pem: key.export({ type: 'pkcs8', format: 'pem' }) as string }
}
