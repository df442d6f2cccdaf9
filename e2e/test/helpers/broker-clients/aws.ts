import {
  EC2Client,
  paginateDescribeInstances,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2'
import { type ClientTarget, type ServerClient } from './types.js'

/** An access key in AWS's format that no account has: the broker re-signs with the stored one. */
const DUMMY_AWS = {
  accessKeyId: 'AKIACLOUDLINKBROKER0',
  secretAccessKey: 'cloudlink/broker/dummy/secret/key/000000',
}

/**
 * AWS through @aws-sdk/client-ec2 in eu-west-1 (the SigV4 credential scope names the service and
 * region the broker forwards to): a t3.micro tagged Name=<name>. Terminated instances stay listed
 * by EC2 for a while, so `list` leaves out those shutting down or terminated.
 */
export function client(target: ClientTarget): ServerClient {
  const { token } = target
  const credentials = token
    ? DUMMY_AWS
    : {
        accessKeyId: target.credentials?.accessKeyId ?? '',
        secretAccessKey: target.credentials?.secretAccessKey ?? '',
      }
  const ec2 = new EC2Client({
    region: 'eu-west-1',
    endpoint: target.baseUrl,
    credentials,
    maxAttempts: 1,
  })
  if (token)
    ec2.middlewareStack.add(
      (next) => (args) => {
        const request = args.request as { headers?: Record<string, string> }
        if (request.headers) request.headers['x-cloudlink-token'] = token
        return next(args)
      },
      { step: 'build', name: 'cloudlinkToken' },
    )
  const servers = async () => {
    const names: string[] = []
    for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 1000 }, {}))
      for (const instance of (page.Reservations ?? []).flatMap((r) => r.Instances ?? []))
        if (!['shutting-down', 'terminated'].includes(instance.State?.Name ?? ''))
          names.push(instance.Tags?.find((tag) => tag.Key === 'Name')?.Value ?? '')
    return names
  }
  return {
    servers,
    list: servers,
    async create(name) {
      const { Instances } = await ec2.send(
        new RunInstancesCommand({
          ImageId: 'ami-0abcdef1234567890',
          InstanceType: 't3.micro',
          MinCount: 1,
          MaxCount: 1,
          TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: name }] }],
        }),
      )
      const id = Instances?.[0]?.InstanceId
      if (!id) throw new Error('RunInstances answered no instance')
      return id
    },
    async remove(id) {
      await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }))
    },
    close: async () => ec2.destroy(),
  }
}
