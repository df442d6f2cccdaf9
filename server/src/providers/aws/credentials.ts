import type { AwsCredentials } from './sign.js'
import { DEFAULT_REGION } from './regions.js'

/** The stored AWS credential: an access key, its home region, and a session token for ASIA… keys. */
export type Creds = Record<string, string> & {
  accessKeyId: string
  secretAccessKey: string
  region: string
}

export const credentialsOf = (c: Creds): AwsCredentials => ({
  accessKeyId: c.accessKeyId,
  secretAccessKey: c.secretAccessKey,
  ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
})

/** The home region: where calls that need one go (the DryRun probe, DescribeRegions). */
export const homeOf = (c: Creds) => c.region ?? DEFAULT_REGION
