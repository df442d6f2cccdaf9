import { defineProvider } from '../core/define.js'
import { maskTail } from '../core/hint.js'
import { checkFields, fieldError } from '../core/validate.js'
import { callAws, credentialFailure, NAME } from './client.js'
import { ec2Failure, listAllRegions } from './inventory.js'
import { AWS_REGIONS, awsOrigins, DEFAULT_REGION } from './regions.js'
import { child, textAt } from './xml.js'
import { broker } from './broker.js'
import { credentialsOf, homeOf, type Creds } from './credentials.js'
import { probeAws } from './probe.js'

const fields = [
  {
    name: 'accessKeyId',
    label: 'Access key ID',
    secret: false,
    required: true,
    pattern: '^(AKIA|ASIA)[A-Z2-7]{16}$',
    placeholder: 'AKIA…',
    help: 'IAM → Users → your user → Security credentials → Create access key',
  },
  {
    name: 'secretAccessKey',
    label: 'Secret access key',
    secret: true,
    required: true,
    pattern: '^[A-Za-z0-9+/]{40}$',
    placeholder: '40 characters',
    help: 'Shown once, when the access key is created',
  },
  {
    name: 'region',
    label: 'Home region',
    secret: false,
    required: false,
    pattern: '^[a-z]{2}-[a-z]+-[0-9]{1,2}$',
    placeholder: DEFAULT_REGION,
    help: 'Home region for calls that need one (default us-east-1); instances are listed in every enabled region',
  },
  {
    name: 'sessionToken',
    label: 'Session token',
    secret: true,
    required: false,
    multiline: true,
    pattern: '^[A-Za-z0-9+/=]+$',
    placeholder: 'Only for temporary ASIA… keys',
    help: 'From STS (e.g. aws sts get-session-token); temporary keys stop working when it expires',
  },
]

export const aws = defineProvider<Creds>({
  descriptor: {
    id: 'aws',
    name: NAME,
    authType: 'signed',
    fields,
    consoleUrl: 'https://console.aws.amazon.com/iam/home#/security_credentials',
    permissions: [
      'ec2:DescribeInstances',
      'ec2:DescribeRegions',
      'ec2:RunInstances',
      'ec2:StartInstances',
      'ec2:StopInstances',
      'ec2:RebootInstances',
      'ec2:TerminateInstances',
      'ec2:CreateTags',
      'ec2:DescribeImages',
      'ec2:DescribeKeyPairs',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSubnets',
      'sts:GetCallerIdentity (always allowed; needs no policy)',
    ],
    capabilities: ['compute'],
    notes:
      'Use an IAM user’s access key with a policy granting the listed EC2 actions, not root-user keys. Instances are listed in every region enabled for the account.',
  },
  origins: awsOrigins,
  broker,
  validate(credentials) {
    const c = checkFields(fields, credentials) as Creds
    c.region ??= DEFAULT_REGION
    if (!(AWS_REGIONS as readonly string[]).includes(c.region))
      throw fieldError('region', `${c.region} is not an AWS commercial region Cloudlink knows`)
    const temporary = c.accessKeyId.startsWith('ASIA')
    if (temporary && !c.sessionToken)
      throw fieldError('sessionToken', 'is required for temporary (ASIA…) access keys')
    if (!temporary && c.sessionToken)
      throw fieldError('sessionToken', 'is only used with temporary (ASIA…) access keys')
    return c
  },
  verify: async (ctx, c) => {
    // GetCallerIdentity needs no permission, so a refusal here is always about the key itself.
    const who = await callAws(ctx, credentialsOf(c), 'sts', DEFAULT_REGION, {
      Action: 'GetCallerIdentity',
    })
    if (!who.doc) throw credentialFailure(who)
    const result = child(who.doc, 'GetCallerIdentityResult')
    const account = textAt(result, 'Account')
    const arn = textAt(result, 'Arn')
    if (!account || !arn) throw credentialFailure(who)
    // DryRun asks IAM whether DescribeInstances would be allowed without running it.
    const probe = await callAws(ctx, credentialsOf(c), 'ec2', homeOf(c), {
      Action: 'DescribeInstances',
      DryRun: 'true',
    })
    if (probe.error?.code !== 'DryRunOperation' && !probe.doc) throw ec2Failure(probe)
    const warnings: string[] = []
    if (/:root$/.test(arn))
      warnings.push(
        'These are root-user access keys; create an IAM user with only the listed permissions instead',
      )
    if (c.sessionToken)
      warnings.push('Temporary credentials stop working when their session token expires')
    return {
      outcome: 'verified' as const,
      identity: { id: account, name: arn },
      warnings,
    }
  },
  listServers: (ctx, c) => listAllRegions(ctx, credentialsOf(c), homeOf(c)),
  probe: (ctx, c, capabilities) => probeAws(ctx, credentialsOf(c), homeOf(c), capabilities),
  hint: (c) => maskTail(c.accessKeyId, c.accessKeyId.slice(0, 4)),
  // One key is one account, whatever its home region: every region is listed under it. (Until
  // Migration20261201000000 the region was part of this; refingerprint.ts re-keys those rows.)
  canonical: (c) => `${c.accessKeyId}:${c.secretAccessKey}`,
})

export default aws
