import {
  EC2Client,
  paginateDescribeInstances,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2'
import { createClient } from '@scaleway/sdk-client'
import { Instancev1 } from '@scaleway/sdk-instance'
import { noClose, type ClientTarget, type ServerClient } from './types.js'

/**
 * Providers whose SDK holds a key pair (Scaleway) or signs each request (AWS, OVHcloud). Through
 * the broker the SDK gets a dummy key in the provider's format, the broker drops what the SDK sent
 * for it and applies the stored credential, and the Cloudlink token rides in `X-Cloudlink-Token`,
 * added by the SDK's own request hook.
 */

/** A Cloudlink token in its own header, on a fetch Request (the hook of fetch-based SDKs). */
export function withToken(request: Readonly<Request>, token: string): Request {
  const headers = new Headers(request.headers)
  headers.set('X-Cloudlink-Token', token)
  return new Request(request, { headers })
}

/** Scaleway's SDK validates both: an access key `SCW` + 17, a UUID secret. */
const DUMMY_SCALEWAY = {
  accessKey: 'SCWCLOUDLINKBROKER00',
  secretKey: '00000000-0000-4000-8000-000000000000',
}

/**
 * Scaleway through @scaleway/sdk-client and sdk-instance, in fr-par-1: a DEV1-S with Ubuntu Noble,
 * created stopped (as Scaleway creates them), so it can be deleted without a power-off first. The
 * SDK puts its secret in `X-Auth-Token`, which only takes a UUID, so the token goes beside it.
 */
export function scaleway(target: ClientTarget): ServerClient {
  const { token } = target
  const keys = token
    ? DUMMY_SCALEWAY
    : { accessKey: target.credentials?.accessKey, secretKey: target.credentials?.secretKey }
  const api = new Instancev1.API(
    createClient({
      ...keys,
      apiURL: target.baseUrl,
      defaultZone: 'fr-par-1',
      defaultRegion: 'fr-par',
      interceptors: token ? [{ request: ({ request }) => withToken(request, token) }] : [],
    }),
  )
  const servers = async () =>
    (await api.listServers({ zone: 'fr-par-1', perPage: 100 }).all()).map((s) => s.name)
  return {
    servers,
    list: servers,
    async create(name) {
      const { server } = await api.createServer({
        zone: 'fr-par-1',
        name,
        commercialType: 'DEV1-S',
        image: 'ubuntu_noble',
        protected: false,
      })
      if (!server) throw new Error('Scaleway answered no server')
      return server.id
    },
    async remove(id) {
      await api.deleteServer({ zone: 'fr-par-1', serverId: id })
    },
    close: noClose,
  }
}

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
export function aws(target: ClientTarget): ServerClient {
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
