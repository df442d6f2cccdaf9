import t from 'tap'
import {
  DescribeInstancesCommand,
  DescribeRegionsCommand,
  EC2Client,
  paginateDescribeInstances,
  type Instance,
} from '@aws-sdk/client-ec2'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { demoCredentials, startSimulator, type SimServer } from '../../src/simulators/index.js'

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
})
