import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { Sha256 } from './sha256.js'

/**
 * SigV4 through the AWS SDK's own signer (@see https://github.com/smithy-lang/smithy-typescript/tree/main/packages/signature-v4):
 * Cloudlink only decides what goes into the request, never how it is hashed.
 */

export interface AwsCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

export interface SigningScope {
  region: string
  service: string
}

export interface SignerOptions {
  /**
   * Adds and signs `x-amz-content-sha256`. STS and EC2 do not need it (it is an S3 convention), and
   * a header the service does not expect only adds a way to fail; the test suite turns it on per case.
   */
  signBody?: boolean
  /**
   * Remove dot segments, collapse slashes and percent-encode the path, as every service but S3
   * expects. Off means the path is taken as already canonical.
   */
  normalizePath?: boolean
}

/** The signer's settings, shared by production signing and the known-answer tests. */
export const signerInit = (
  credentials: AwsCredentials,
  scope: SigningScope,
  opts: SignerOptions = {},
): ConstructorParameters<typeof SignatureV4>[0] => ({
  credentials,
  region: scope.region,
  service: scope.service,
  // node:crypto underneath, as the AWS SDK itself signs with in Node (see sha256.ts for why not
  // its Sha256Node as is): the pure-JS hash it replaced was a third of a sweep's SigV4 cost.
  sha256: Sha256,
  applyChecksum: opts.signBody ?? false,
  uriEscapePath: opts.normalizePath ?? true,
})

/** Signs every header the request carries (the caller adds only what it means to sign). */
export async function signRequest(
  request: HttpRequest,
  credentials: AwsCredentials,
  scope: SigningScope,
  signingDate: Date,
  opts: SignerOptions = {},
): Promise<HttpRequest> {
  const signer = new SignatureV4(signerInit(credentials, scope, opts))
  return (await signer.sign(request, { signingDate })) as HttpRequest
}

/**
 * A Query-protocol call (STS, EC2): form-encoded POST to the endpoint's root. Returns the headers
 * to send; `host` is left to fetch, which derives it from the same URL that was signed.
 */
export async function signQueryCall(
  url: URL,
  body: string,
  credentials: AwsCredentials,
  scope: SigningScope,
  signingDate: Date,
): Promise<Record<string, string>> {
  const request = new HttpRequest({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    headers: {
      host: url.host,
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    },
    body,
  })
  const signed = await signRequest(request, credentials, scope, signingDate)
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(signed.headers))
    if (name.toLowerCase() !== 'host') headers[name] = value
  return headers
}
