import t from 'tap'
import { listAllRegions } from '../../src/providers/aws/inventory.js'
import { settle } from '../../src/providers/core/outcome.js'
import { invalidField, simContext } from './sim-context.js'

/** AWS: STS names the key's owner, EC2 lists one region, IAM decides what the key may do. */
t.test('aws', async (t) => {
  const { sim, module, ctx } = await simContext(t, 'aws')
  t.beforeEach(() => {
    sim.clearRequests()
    sim.clearLimits()
  })

  t.test(
    'verified: account and ARN from STS, signed for sts/us-east-1, then a DryRun probe',
    async (t) => {
      const raw = sim.issueCredential({ identity: { id: '123456789012', name: 'Ops Bot' } })
      t.same(await module.verify(ctx, module.validate(raw)), {
        outcome: 'verified',
        identity: { id: '123456789012', name: 'arn:aws:iam::123456789012:user/ops-bot' },
        warnings: [],
      })
      const [sts, ec2] = sim.requests
      t.match(sts, {
        method: 'POST',
        path: '/',
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
        headers: {
          authorization: new RegExp(
            `^AWS4-HMAC-SHA256 Credential=${raw.accessKeyId}/\\d{8}/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$`,
          ),
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          accept: 'text/xml',
        },
      })
      t.match(ec2, {
        body: /^Action=DescribeInstances&DryRun=true&Version=2016-11-15$/,
        headers: { authorization: /\/us-east-1\/ec2\/aws4_request/ },
      })
    },
  )

  t.test('instances of every enabled region, named by their Name tag', async (t) => {
    const raw = sim.issueCredential({
      servers: [
        {
          providerServerId: 'i-0a1',
          name: 'eu-web',
          status: 'running',
          region: 'eu-west-1b',
          ipv4: '192.0.2.1',
        },
        {
          providerServerId: 'i-0b2',
          name: 'us-web',
          status: 'stopped',
          region: 'us-east-1a',
          ipv4: null,
        },
        {
          providerServerId: 'i-0c3',
          name: 'cape',
          status: 'running',
          region: 'af-south-1a',
          ipv4: '192.0.2.3',
        },
      ],
    })
    const eu = module.validate({ ...raw, region: 'eu-west-1' })
    const list = await module.listServers(ctx, eu)
    if (list.outcome !== 'listed') throw new Error(JSON.stringify(list))
    t.same(
      list.servers.sort((a, b) => a.providerServerId.localeCompare(b.providerServerId)),
      [
        {
          providerServerId: 'i-0a1',
          name: 'eu-web',
          status: 'running',
          region: 'eu-west-1b',
          ipv4: '192.0.2.1',
        },
        {
          providerServerId: 'i-0b2',
          name: 'us-web',
          status: 'stopped',
          region: 'us-east-1a',
          ipv4: null,
        },
        {
          providerServerId: 'i-0c3',
          name: 'cape',
          status: 'running',
          region: 'af-south-1a',
          ipv4: '192.0.2.3',
        },
      ],
    )
    const [regions, ...describes] = sim.requests
    t.match(regions, {
      body: 'Action=DescribeRegions&Version=2016-11-15',
      headers: { authorization: /\/eu-west-1\/ec2\/aws4_request/ },
    })
    const scopes = describes.map(
      (r) => /\/([a-z0-9-]+)\/ec2\/aws4_request/.exec(r.headers.authorization ?? '')?.[1],
    )
    t.equal(scopes.length, 18, 'the 17 default regions and the opted-in af-south-1')
    t.ok(scopes.includes('af-south-1') && !scopes.includes('me-south-1'), 'enabled regions only')
    const us = module.validate(raw)
    t.equal(us.region, 'us-east-1', 'default home region')
    t.equal(module.canonical(eu), module.canonical(us), 'one key is one account')
  })

  t.test('more than 1000 instances are read page by page', async (t) => {
    const servers = Array.from({ length: 1003 }, (_, i) => ({
      providerServerId: `i-${String(i).padStart(17, '0')}`,
      name: `n${i}`,
      status: 'running',
      region: 'us-east-1c',
      ipv4: null,
    }))
    const list = await module.listServers(ctx, module.validate(sim.issueCredential({ servers })))
    t.equal(list.outcome === 'listed' && list.servers.length, 1003)
    t.ok(sim.requests.some((r) => /NextToken=1000/.test(r.body)))
  })

  t.test('one deadline for the whole listing, whatever each call takes', async (t) => {
    const raw = sim.issueCredential()
    sim.fault({ kind: 'latency', ms: 200 })
    t.teardown(() => sim.fault(null))
    const creds = { accessKeyId: raw.accessKeyId!, secretAccessKey: raw.secretAccessKey! }
    t.match(await settle('AWS', () => listAllRegions(ctx, creds, 'us-east-1', 500)), {
      outcome: 'unreachable',
      reason: 'timeout',
      message: /did not list every region within 0.5 s/,
    })
  })

  t.test('a key without ec2:DescribeInstances is rejected naming it', async (t) => {
    const result = await module.verify(
      ctx,
      module.validate(sim.issueCredential({ scopes: 'insufficient' })),
    )
    t.match(result, {
      outcome: 'rejected',
      providerStatus: 403,
      providerCode: 'UnauthorizedOperation',
      reason: /ec2:DescribeInstances/,
    })
  })

  t.test('unknown key, wrong secret: rejected with the AWS code', async (t) => {
    const raw = sim.issueCredential()
    const last = raw.secretAccessKey!.endsWith('A') ? 'B' : 'A'
    const wrong = { ...raw, secretAccessKey: raw.secretAccessKey!.slice(0, -1) + last }
    t.match(await module.verify(ctx, module.validate(wrong)), {
      outcome: 'rejected',
      providerStatus: 403,
      providerCode: 'SignatureDoesNotMatch',
      reason: /secret access key does not belong/,
    })
    sim.revoke(raw)
    t.match(await module.listServers(ctx, module.validate(raw)), {
      outcome: 'rejected',
      providerStatus: 401,
      providerCode: 'AuthFailure',
    })
  })

  t.test('a clock 20 minutes off is corrected from the Date header, once', async (t) => {
    const raw = sim.issueCredential()
    sim.advanceClock(20 * 60)
    t.teardown(() => sim.advanceClock(-20 * 60))
    t.equal((await module.verify(ctx, module.validate(raw))).outcome, 'verified')
    const stsCalls = sim.requests.filter((r) => r.body.includes('GetCallerIdentity'))
    t.equal(stsCalls.length, 2, 'refused once, then signed with the provider’s time')
  })

  t.test('format: region, session tokens only with ASIA keys', async (t) => {
    const raw = sim.issueCredential()
    t.equal(invalidField(module, { ...raw, region: 'mars-north-1' }), 'credentials.region')
    t.equal(invalidField(module, { ...raw, region: 'EU' }), 'credentials.region')
    t.equal(invalidField(module, { ...raw, sessionToken: 'abc' }), 'credentials.sessionToken')
    const temp = {
      accessKeyId: 'ASIAQ2SIMULATEDTEMP2',
      secretAccessKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCD',
    }
    t.equal(invalidField(module, temp), 'credentials.sessionToken')
    sim.registerCredential({ ...temp, sessionToken: 'FwoGZXIvYXdzSESSIONtoken==' })
    t.match(
      await module.verify(
        ctx,
        module.validate({ ...temp, sessionToken: 'FwoGZXIvYXdzSESSIONtoken==' }),
      ),
      {
        outcome: 'verified',
        warnings: [/session token expires/],
      },
    )
    t.match(sim.requests.at(0)?.headers, { 'x-amz-security-token': 'FwoGZXIvYXdzSESSIONtoken==' })
    t.equal(module.hint(module.validate(raw)), `AKIA••••${raw.accessKeyId!.slice(-4)}`)
  })
})
