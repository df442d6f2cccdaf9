import t from 'tap'
import { demoCredentials, startSimulator, type SimServer } from '../../src/simulators/index.js'
import { clientFor } from '../helpers/broker-clients.js'

/**
 * The Hetzner Robot simulator, checked against the webservice documentation
 * (https://robot.hetzner.com/doc/webservice/en.html: "Errors", "GET /server",
 * "GET /server/{server-number}") and a Go client, syself/hrobot-go
 * (https://github.com/syself/hrobot-go @84a71b7b; Hetzner publishes no npm client):
 * - client.go: HTTP Basic auth; any 4xx/5xx is read as models.ErrorResponse `{"error": {code,
 *   message}}` (models/error.go: UNAUTHORIZED, RATE_LIMIT_EXCEEDED, SERVER_NOT_FOUND, …);
 * - server.go ServerGetList: GET /server is a list of models.ServerResponse `{"server": Server}`;
 *   ServerGet: GET /server/{id} is one ServerResponse;
 * - models/server.go Server: server_ip, server_ipv6_net, server_number (int), server_name,
 *   product, dc, traffic, status, cancelled (bool), paid_until, ip ([]string), subnet ([]Subnet
 *   or null), and on GET /server/{id} reset, rescue, vnc, windows, plesk, cpanel, wol, hot_swap.
 * Robot does not page: the docs give GET /server no paging parameters, every server comes in one
 * answer, so the "pages" here are one answer of 250 servers. Robot cannot create a server (it
 * orders them), so its write is the rename, POST /server/{server-number} with a `server_name`
 * form field (docs; hrobot-go server.go ServerSetName), answered with the renamed server.
 */

t.test('Hetzner Robot as its documentation and hrobot-go describe it', async (t) => {
  const sim = await startSimulator('hetzner-robot')
  t.teardown(() => sim.close())
  const basic = (c: Record<string, string>) =>
    `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`
  const get = async (path: string, c: Record<string, string>) => {
    const res = await fetch(`${sim.url}${path}`, { headers: { authorization: basic(c) } })
    return { status: res.status, body: (await res.json()) as unknown }
  }

  t.test('a web-service user is accepted: GET /server', async (t) => {
    const res = await get('/server', demoCredentials['hetzner-robot']!.good!)
    t.equal(res.status, 200)
    t.match(res.body, [{ server: { server_number: Number, server_ip: String } }])
  })

  t.test('250 servers in one answer, each a models.ServerResponse; one by number', async (t) => {
    const servers: SimServer[] = Array.from({ length: 250 }, (_, i) => ({
      providerServerId: String(1_000_000 + i),
      name: `node-${i}`,
      status: i % 5 ? 'ready' : 'in process',
      region: 'FSN1-DC14',
      ipv4: `192.0.2.${(i % 250) + 1}`,
    }))
    const c = sim.issueCredential({ servers })
    const res = await get('/server', c)
    const list = res.body as { server: Record<string, unknown> }[]
    t.equal(list.length, 250)
    const shape: Record<string, string> = {
      server_ip: 'string',
      server_ipv6_net: 'string',
      server_number: 'number',
      server_name: 'string',
      product: 'string',
      dc: 'string',
      traffic: 'string',
      status: 'string',
      cancelled: 'boolean',
      paid_until: 'string',
    }
    for (const { server } of list) {
      for (const [field, type] of Object.entries(shape))
        if (typeof server[field] !== type)
          t.fail(`${server.server_number}.${field} is not a ${type}`)
      if (!Array.isArray(server.ip)) t.fail('ip is a list of strings')
      if (server.subnet !== null && !Array.isArray(server.subnet))
        t.fail('subnet is a list or null')
    }
    t.same(
      list.map(({ server }) => String(server.server_number)),
      servers.map((s) => s.providerServerId),
    )
    t.match(list[5]!.server, { server_name: 'node-5', status: 'in process', dc: 'FSN1-DC14' })

    const one = await get('/server/1000007', c)
    t.match(one, {
      status: 200,
      body: {
        server: {
          server_number: 1000007,
          reset: Boolean,
          rescue: Boolean,
          wol: Boolean,
          hot_swap: Boolean,
        },
      },
    })
    t.same(await get('/server/42', c), {
      status: 404,
      body: { error: { status: 404, code: 'SERVER_NOT_FOUND', message: 'Server not found' } },
    })
  })

  t.test('a bad login: 401 UNAUTHORIZED; the IP is blocked after 3 failures', async (t) => {
    sim.clearLimits()
    t.teardown(() => sim.clearLimits())
    const wrong = { username: '#ws+Nobody', password: 'wrong' }
    for (let i = 0; i < 3; i++)
      t.match(await get('/server', wrong), {
        status: 401,
        body: { error: { status: 401, code: 'UNAUTHORIZED', message: String } },
      })
    const blocked = await get('/server', demoCredentials['hetzner-robot']!.good!)
    t.equal(blocked.status, 403, 'even a good login, for 10 minutes')
    t.match(blocked.body, { error: { code: String, message: String } })
  })

  t.test('the nearest write: a server renamed and named back, as hrobot-go does it', async (t) => {
    sim.clearLimits()
    const servers: SimServer[] = [1, 2].map((i) => ({
      providerServerId: String(2_000_000 + i),
      name: `node-${i}`,
      status: 'ready',
      region: 'FSN1-DC14',
      ipv4: `192.0.2.${i}`,
    }))
    const c = sim.issueCredential({ servers })
    const api = clientFor('hetzner-robot', { baseUrl: sim.url, credentials: c })
    sim.clearRequests()
    const number = await api.create('cl-write-1')
    t.equal(number, '2000001')
    t.same(await api.list(), ['cl-write-1', 'node-2'])
    await api.remove(number)
    t.same(await api.list(), ['node-1', 'node-2'], 'named back')
    const writes = sim.requests.filter((r) => r.method !== 'GET')
    t.same(
      writes.map((r) => [r.method, r.path, r.body, r.credential]),
      [
        ['POST', '/server/2000001', 'server_name=cl-write-1', `${c.username}:${c.password}`],
        ['POST', '/server/2000001', 'server_name=node-1', `${c.username}:${c.password}`],
      ],
    )
    t.equal(writes[0]?.headers['content-type'], 'application/x-www-form-urlencoded')
  })

  t.test('the rename answer is a models.ServerResponse; bad input and numbers', async (t) => {
    sim.clearLimits()
    const c = sim.issueCredential({
      servers: [
        {
          providerServerId: '3000001',
          name: 'a',
          status: 'ready',
          region: 'HEL1-DC2',
          ipv4: '192.0.2.9',
        },
      ],
    })
    const post = async (path: string, body: string) => {
      const res = await fetch(`${sim.url}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body,
      })
      return { status: res.status, body: (await res.json()) as unknown }
    }
    t.match(await post('/server/3000001', 'server_name=db-main'), {
      status: 200,
      body: {
        server: {
          server_number: 3000001,
          server_name: 'db-main',
          server_ip: '192.0.2.9',
          dc: 'HEL1-DC2',
        },
      },
    })
    t.same(await post('/server/3000001', 'name=x'), {
      status: 400,
      body: {
        error: {
          status: 400,
          code: 'INVALID_INPUT',
          message: 'invalid input',
          missing: ['server_name'],
          invalid: null,
        },
      },
    })
    t.match(await post('/server/42', 'server_name=x'), {
      status: 404,
      body: { error: { code: 'SERVER_NOT_FOUND' } },
    })
  })
})
