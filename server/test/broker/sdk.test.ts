import t from 'tap'
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2'
import { createApiClient } from 'dots-wrapper'
import { mintToken } from '../support/tokens.js'
import { brokerApp, connect } from './support.js'

/**
 * The platform's way: the provider's own client library pointed at the broker, holding only its
 * `clk_` token where the library expects the provider secret (DigitalOcean's token, AWS's access
 * key id with any secret). The simulator's log shows the stored credential did the work.
 */

const { app, sim, team } = await brokerApp(t, ['digitalocean', 'aws'])
await app.listen({ port: 0, host: '127.0.0.1' })
const origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
const proxy = (accountId: string) =>
  `${origin}/api/v1/workspaces/${team.workspaceId}/cloud-accounts/${accountId}/proxy`
const { token } = await mintToken(app, team, { scopes: ['accounts:use'] })

t.test('DigitalOcean through dots-wrapper', async (t) => {
  const credentials = sim('digitalocean').issueCredential({
    identity: { id: 'b6fr89dbf6d9156cace5f3c78dc9851d957381ef', email: 'ops@example.com' },
  })
  const accountId = await connect(app, team, 'digitalocean', credentials)
  const api = createApiClient({
    token,
    endpoint: `${proxy(accountId)}/v2`,
    requestTimeoutInMs: 5000,
  })
  const { data } = await api.account.getAccount()
  t.equal(data.account.email, 'ops@example.com')
  const droplets = await api.droplet.listDroplets({ page: 1, per_page: 20 })
  t.equal(droplets.data.droplets.length, 2)
  const seen = sim('digitalocean').requests.at(-1)!
  t.equal(seen.credential, credentials.token, 'the stored token, never the clk_ one')
  t.notMatch(JSON.stringify(seen.headers), token)
})

t.test('AWS through @aws-sdk/client-ec2, the token as access key id', async (t) => {
  const credentials = sim('aws').issueCredential({
    servers: [
      {
        providerServerId: 'i-0eu',
        name: 'eu',
        status: 'running',
        region: 'eu-west-1a',
        ipv4: null,
      },
      {
        providerServerId: 'i-0us',
        name: 'us',
        status: 'running',
        region: 'us-east-1a',
        ipv4: null,
      },
    ],
  })
  const accountId = await connect(app, team, 'aws', credentials)
  const ec2 = new EC2Client({
    region: 'eu-west-1',
    endpoint: proxy(accountId),
    credentials: { accessKeyId: token, secretAccessKey: 'not-a-secret-anything-goes' },
    maxAttempts: 1,
  })
  const answer = await ec2.send(new DescribeInstancesCommand({}))
  const ids = answer.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId)
  t.same(ids, ['i-0eu'], 'eu-west-1, as the SDK signed for')
  const seen = sim('aws').requests.at(-1)!
  t.equal(seen.credential, credentials.accessKeyId, 're-signed with the stored key')
  t.match(seen.headers.authorization, /\/eu-west-1\/ec2\/aws4_request/)
  t.notMatch(JSON.stringify(seen.headers), token)
})
