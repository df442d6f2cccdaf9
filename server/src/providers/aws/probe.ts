import type { Capability } from '@cloudlink/shared'
import { unexpected } from '../core/outcome.js'
import { access, probeEach } from '../core/probe.js'
import type { ProviderContext } from '../core/types.js'
import { callAws, NAME } from './client.js'
import type { AwsCredentials } from './sign.js'

/**
 * Dry runs: with `DryRun=true` EC2 checks the caller's permission for the action and stops,
 * answering `DryRunOperation` (allowed) or `UnauthorizedOperation` (denied); nothing is launched
 * or terminated (EC2 API reference, "DryRun"). The ids below are well-formed and exist nowhere.
 * Decided here: any other answer (a parameter refusal that came first) proves nothing either way.
 */
const ACTIONS: { action: string; params: Record<string, string> }[] = [
  {
    action: 'ec2:RunInstances',
    params: {
      Action: 'RunInstances',
      ImageId: 'ami-00000000000000000',
      InstanceType: 't3.micro',
      MinCount: '1',
      MaxCount: '1',
    },
  },
  {
    action: 'ec2:TerminateInstances',
    params: { Action: 'TerminateInstances', 'InstanceId.1': 'i-00000000000000000' },
  },
]

/**
 * Listing instances was proven by the verify's DescribeInstances dry run, so `read` is the floor;
 * `write` needs RunInstances and TerminateInstances both allowed.
 */
export async function probeAws(
  ctx: ProviderContext,
  credentials: AwsCredentials,
  region: string,
  capabilities: readonly Capability[],
) {
  return probeEach(capabilities, {
    compute: async () => {
      const verdicts = await Promise.all(
        ACTIONS.map(async ({ action, params }) => {
          const answer = await callAws(ctx, credentials, 'ec2', region, {
            ...params,
            DryRun: 'true',
          })
          const code = answer.error?.code
          if (code === 'DryRunOperation') return { action, allowed: true, code }
          if (code === 'UnauthorizedOperation') return { action, allowed: false, code }
          if (code) return { action, allowed: undefined, code }
          throw unexpected(NAME, answer.res)
        }),
      )
      const evidence = verdicts.map((v) => `EC2 ${v.action.slice(4)} DryRun → ${v.code}`).join('; ')
      const missing = verdicts.filter((v) => v.allowed === false).map((v) => v.action)
      if (missing.length > 0) return access('read', evidence, missing)
      if (verdicts.some((v) => v.allowed === undefined)) return access('unknown', evidence)
      return access('write', evidence)
    },
  })
}
