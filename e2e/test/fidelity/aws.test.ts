import t from 'tap'
import {
  DescribeInstancesCommand,
  DescribeRegionsCommand,
  EC2Client,
  paginateDescribeInstances,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type Instance,
} from '@aws-sdk/client-ec2'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { demoCredentials, startSimulator, type SimServer } from '../../src/simulators/index.js'
import { clientFor } from '../helpers/broker-clients.js'

/**
 * The AWS simulator driven by AWS's own SDK for JavaScript v3 (@aws-sdk/client-ec2 and
 * @aws-sdk/client-sts): the SDK signs every request with its own SigV4 signer and parses every
 * answer with its own ec2Query / awsQuery deserializers, so a simulator that drifted from AWS
 * (an element name, an error shape, a canonicalisation detail) fails here.
 */
t.test('AWS through @aws-sdk/client-ec2 and @aws-sdk/client-sts', async (t) => {
  const sim = await startSimulator('aws')
  t.teardown(() => sim.close())
  const demo = demoCredentials.aws!.good as { accessKeyId: string; secretAccessKey: string }
  // One attempt: a refusal must surface as the SDK parsed it, not be retried.
  const sts = (credentials = demo) =>
    new STSClient({ region: 'us-east-1', endpoint: sim.url, credentials, maxAttempts: 1 })
  const ec2 = (region: string, credentials = demo) =>
    new EC2Client({ region, endpoint: sim.url, credentials, maxAttempts: 1 })

  t.test('the demo key is accepted and names its account (STS GetCallerIdentity)', async (t) => {
    sim.clearRequests()
    const who = await sts().send(new GetCallerIdentityCommand({}))
    t.match(who, {
      Account: /^\d{12}$/,
      Arn: /^arn:aws:iam::\d{12}:user\//,
      UserId: /^AIDA[A-Z2-7]{17}$/,
    })
    // The SDK's own signature, scoped to sts/us-east-1, is what the simulator checked.
    t.match(
      sim.requests[0]?.headers.authorization,
      /Credential=AKIADEMOGOODCLOUDLNK\/\d{8}\/us-east-1\/sts\/aws4_request/,
    )
  })

  // 12 instances in eu-west-1, one in us-east-1 and one in the opt-in region af-south-1.
  const servers: SimServer[] = [
    ...Array.from({ length: 12 }, (_, i) => ({
      providerServerId: `i-${String(i).padStart(17, '0')}`,
      name: `eu-${i}`,
      status: i % 3 === 0 ? 'stopped' : 'running',
      region: 'eu-west-1b',
      ipv4: i % 3 === 0 ? null : `192.0.2.${i + 1}`,
    })),
    {
      providerServerId: 'i-0000000000000us01',
      name: 'us',
      status: 'running',
      region: 'us-east-1a',
      ipv4: '198.51.100.1',
    },
    {
      providerServerId: 'i-0000000000000af01',
      name: 'cape',
      status: 'running',
      region: 'af-south-1a',
      ipv4: null,
    },
  ]
  const owner = sim.issueCredential({ servers }) as { accessKeyId: string; secretAccessKey: string }

  t.test('DescribeRegions lists the enabled regions; AllRegions the opt-in ones too', async (t) => {
    const enabled = await ec2('us-east-1', owner).send(new DescribeRegionsCommand({}))
    const names = enabled.Regions!.map((r) => r.RegionName)
    t.ok(names.includes('eu-west-1') && names.includes('af-south-1'), 'defaults and opted-in')
    t.notOk(names.includes('me-south-1'), 'an opt-in region the account did not enable')
    t.match(
      enabled.Regions!.find((r) => r.RegionName === 'af-south-1'),
      {
        Endpoint: 'ec2.af-south-1.amazonaws.com',
        OptInStatus: 'opted-in',
      },
    )
    const all = await ec2('us-east-1', owner).send(new DescribeRegionsCommand({ AllRegions: true }))
    t.match(
      all.Regions!.find((r) => r.RegionName === 'me-south-1'),
      { OptInStatus: 'not-opted-in' },
    )
  })

  t.test('DescribeInstances pages with NextToken: 12 instances in pages of 5', async (t) => {
    sim.clearRequests()
    const pages: Instance[][] = []
    for await (const page of paginateDescribeInstances(
      { client: ec2('eu-west-1', owner), pageSize: 5 },
      {},
    ))
      pages.push((page.Reservations ?? []).flatMap((r) => r.Instances ?? []))
    t.same(
      pages.map((p) => p.length),
      [5, 5, 2],
      'three pages',
    )
    const all = pages.flat()
    t.same(
      all.map((i) => i.InstanceId),
      servers.slice(0, 12).map((s) => s.providerServerId),
    )
    t.match(all[1], {
      InstanceId: 'i-00000000000000001',
      State: { Name: 'running', Code: 16 },
      Placement: { AvailabilityZone: 'eu-west-1b' },
      PublicIpAddress: '192.0.2.2',
      Tags: [{ Key: 'Name', Value: 'eu-1' }],
    })
    t.match(all[0], { State: { Name: 'stopped', Code: 80 } })
    t.equal(all[0]?.PublicIpAddress, undefined)
    t.same(
      sim.requests.map((r) => new URLSearchParams(r.body).get('NextToken')),
      [null, '5', '10'],
    )
    // Each region answers for its own instances: the region is the SDK's signing scope.
    const us = await ec2('us-east-1', owner).send(new DescribeInstancesCommand({}))
    t.same(
      us.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId),
      ['i-0000000000000us01'],
    )
  })

  t.test('a bad credential gets the documented error codes', async (t) => {
    const revoked = demoCredentials.aws!.revoked as typeof demo
    await t.rejects(sts(revoked).send(new GetCallerIdentityCommand({})), {
      name: 'InvalidClientTokenId',
      $metadata: { httpStatusCode: 403 },
    })
    await t.rejects(ec2('eu-west-1', revoked).send(new DescribeInstancesCommand({})), {
      name: 'AuthFailure',
      $metadata: { httpStatusCode: 401 },
    })
    const last = owner.secretAccessKey.endsWith('A') ? 'B' : 'A'
    const wrong = { ...owner, secretAccessKey: owner.secretAccessKey.slice(0, -1) + last }
    await t.rejects(sts(wrong).send(new GetCallerIdentityCommand({})), {
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    })
  })

  t.test(
    'the SDK signature is really checked: a body changed after signing is refused',
    async (t) => {
      const client = ec2('eu-west-1', owner)
      client.middlewareStack.addRelativeTo(
        (next) => async (args) => {
          // Same length, so Content-Length (set before signing) still holds.
          const request = args.request as { body?: string }
          request.body = request.body?.replace('Version=2016-11-15', 'Version=2016-11-14')
          return next(args)
        },
        { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'tamper' },
      )
      await t.rejects(client.send(new DescribeInstancesCommand({})), {
        name: 'SignatureDoesNotMatch',
      })
    },
  )

  t.test('an instance run and terminated through the SDK; the list follows', async (t) => {
    const c = sim.issueCredential({ servers: servers.slice(0, 2) })
    const api = clientFor('aws', { baseUrl: sim.url, credentials: c })
    t.teardown(() => api.close())
    sim.clearRequests()
    const id = await api.create('cl-write-1')
    t.match(id, /^i-[0-9a-f]{17}$/)
    t.same(await api.list(), ['eu-0', 'eu-1', 'cl-write-1'])
    await api.remove(id)
    t.same(await api.list(), ['eu-0', 'eu-1'], 'terminated, so left out')
    const actions = sim.requests.map((r) => [
      new URLSearchParams(r.body).get('Action'),
      r.credential,
    ])
    t.same(actions, [
      ['RunInstances', c.accessKeyId],
      ['DescribeInstances', c.accessKeyId],
      ['TerminateInstances', c.accessKeyId],
      ['DescribeInstances', c.accessKeyId],
    ])
    t.match(sim.requests[0]?.headers.authorization, /\/eu-west-1\/ec2\/aws4_request/)
  })

  t.test('the answers as the SDK parses them; unknown ids and a dry run', async (t) => {
    const c = sim.issueCredential({ servers: servers.slice(0, 1) }) as typeof owner
    const client = ec2('eu-west-1', c)
    const run = await client.send(
      new RunInstancesCommand({
        ImageId: 'ami-0abcdef1234567890',
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 2,
        Placement: { AvailabilityZone: 'eu-west-1c' },
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'w' }] }],
      }),
    )
    t.match(run, { ReservationId: /^r-/, OwnerId: /^\d{12}$/ })
    t.equal(run.Instances?.length, 2)
    t.match(run.Instances?.[1], {
      State: { Code: 0, Name: 'pending' },
      InstanceType: 't3.micro',
      AmiLaunchIndex: 1,
      Placement: { AvailabilityZone: 'eu-west-1c' },
      Tags: [{ Key: 'Name', Value: 'w' }],
    })
    t.ok(run.Instances?.[0]?.LaunchTime instanceof Date)
    const ids = run.Instances!.map((i) => i.InstanceId!)
    const gone = await client.send(new TerminateInstancesCommand({ InstanceIds: ids }))
    t.match(gone.TerminatingInstances, [
      {
        CurrentState: { Code: 32, Name: 'shutting-down' },
        PreviousState: { Code: 16, Name: 'running' },
      },
      { InstanceId: ids[1] },
    ])
    const listed = await client.send(new DescribeInstancesCommand({}))
    t.match(
      listed.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === ids[0]),
      { State: { Code: 48, Name: 'terminated' } },
      'EC2 still lists a terminated instance',
    )
    await t.rejects(
      client.send(new TerminateInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })),
      {
        name: 'InvalidInstanceID.NotFound',
        $metadata: { httpStatusCode: 400 },
      },
    )
    await t.rejects(
      client.send(
        new RunInstancesCommand({
          ImageId: 'ami-0abcdef1234567890',
          MinCount: 1,
          MaxCount: 1,
          DryRun: true,
        }),
      ),
      { name: 'DryRunOperation', $metadata: { httpStatusCode: 412 } },
    )
  })

  t.test('a key that may only describe: UnauthorizedOperation on both writes', async (t) => {
    const readOnly = sim.issueCredential({
      access: { compute: 'read' },
      servers: servers.slice(0, 1),
    })
    const api = clientFor('aws', { baseUrl: sim.url, credentials: readOnly })
    t.teardown(() => api.close())
    t.same(await api.list(), ['eu-0'])
    const refused = { name: 'UnauthorizedOperation', $metadata: { httpStatusCode: 403 } }
    await t.rejects(api.create('cl-nope'), refused)
    await t.rejects(api.remove(servers[0]!.providerServerId), refused)
  })

  t.test('with a Cloudlink token: a dummy key, and the token in X-Cloudlink-Token', async (t) => {
    sim.clearRequests()
    const api = clientFor('aws', { baseUrl: sim.url, token: 'clk_fidelity' })
    t.teardown(() => api.close())
    // The simulator is no broker: it refuses the dummy key, after logging what was sent.
    await t.rejects(api.list(), { name: 'AuthFailure' })
    t.match(sim.requests[0]?.headers, {
      authorization: /Credential=AKIACLOUDLINKBROKER0\/\d{8}\/eu-west-1\/ec2\//,
      'x-cloudlink-token': 'clk_fidelity',
    })
  })
})
