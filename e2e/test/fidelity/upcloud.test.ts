import t from 'tap'
import { demoCredentials, startSimulator, type SimServer } from '../../src/simulators/index.js'
import { clientFor } from '../helpers/broker-clients.js'

/**
 * The UpCloud simulator, checked against UpCloud's official Go client,
 * UpCloudLtd/upcloud-go-api (https://github.com/UpCloudLtd/upcloud-go-api @f64673e8; UpCloud
 * publishes no npm client), and the API documentation (https://developers.upcloud.com/1.3/).
 * Requests are built and answers read the way that client does:
 * - upcloud/client/client.go: base https://api.upcloud.com/1.3, `Accept` and `Content-Type:
 *   application/json`, `Authorization: Bearer <token>` or Basic; an error whose Content-Type is
 *   exactly `application/problem+json` is an RFC 7807 problem, any other a legacy error;
 * - upcloud/service/service.go: the legacy error is `{"error": {"error_code", "error_message"}}`;
 *   upcloud/problem.go: a problem is {type, title, status, correlation_id?}, and ErrorCode() is the
 *   type's fragment without `ERROR_`;
 * - upcloud/account.go: `{"account": {credits, username, resource_limits: {…ints}}}`;
 * - upcloud/request/server.go GetServersWithFiltersRequest with request/page.go Page as filter:
 *   GET /server/?limit=<size>&offset=<(number-1)*size>; upcloud/server.go `Servers` is
 *   `{"servers": {"server": [Server]}}`, Server {core_number (int as string), hostname, license,
 *   memory_amount (int as string), plan, progress (int as string), state, tags {tag: []}, title,
 *   uuid, zone};
 * - upcloud/ip_address.go: `{"ip_addresses": {"ip_address": [{access, address, family,
 *   part_of_plan, ptr_record, server, zone, …}]}}`;
 * - upcloud/request/server.go CreateServerRequest (POST /server, `{"server": {…}}`),
 *   StopServerRequest (`{"stop_server": {stop_type, timeout}}`), DeleteServerAndStoragesRequest
 *   (DELETE /server/{uuid}/?storages=1); upcloud/server.go ServerDetails for their answers.
 */

t.test('UpCloud as upcloud-go-api speaks to it', async (t) => {
  const sim = await startSimulator('upcloud')
  t.teardown(() => sim.close())
  const get = async (path: string, auth: string) => {
    const res = await fetch(`${sim.url}/1.3${path}`, {
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        authorization: auth,
      },
    })
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      body: (await res.json()) as Record<string, unknown>,
    }
  }
  const bearer = (token: string) => `Bearer ${token}`

  t.test('a token is accepted and the account read', async (t) => {
    const res = await get('/account', bearer(demoCredentials.upcloud!.good!.token!))
    t.equal(res.status, 200)
    t.match(res.body, {
      account: {
        credits: Number,
        username: String,
        resource_limits: { cores: Number, memory: Number, networks: Number, public_ipv4: Number },
      },
    })
    const limits = (res.body.account as { resource_limits: Record<string, unknown> })
      .resource_limits
    t.ok(Object.values(limits).every(Number.isInteger), 'resource limits are ints')
  })

  t.test('servers in three pages of a request.Page, shaped as upcloud.Server', async (t) => {
    const servers: SimServer[] = Array.from({ length: 12 }, (_, i) => ({
      providerServerId: `00${String(i).padStart(6, '0')}-0000-4000-a000-000000000000`,
      name: `web-${i}`,
      status: i % 4 ? 'started' : 'stopped',
      region: 'fi-hel1',
      ipv4: `192.0.2.${i + 1}`,
    }))
    const c = sim.issueCredential({ servers })
    const pages = []
    for (const number of [1, 2, 3]) {
      const res = await get(`/server/?limit=5&offset=${(number - 1) * 5}`, bearer(c.token!))
      t.equal(res.status, 200)
      pages.push((res.body.servers as { server: Record<string, unknown>[] }).server)
    }
    t.same(
      pages.map((p) => p.length),
      [5, 5, 2],
    )
    const all = pages.flat()
    t.same(
      all.map((s) => s.uuid),
      servers.map((s) => s.providerServerId),
    )
    for (const s of all) {
      for (const field of ['core_number', 'memory_amount'])
        if (!/^\d+$/.test(String(s[field])) || typeof s[field] !== 'string')
          t.fail(`${field} must be an integer in a string (json:",string")`)
      for (const field of ['hostname', 'plan', 'state', 'title', 'uuid', 'zone'])
        if (typeof s[field] !== 'string') t.fail(`${s.uuid}.${field} is not a string`)
      if (typeof s.license !== 'number') t.fail('license is a number')
      t.ok(Array.isArray((s.tags as { tag?: unknown }).tag), 'tags.tag is a list')
    }
    t.match(all[1], { title: 'web-1', state: 'started', zone: 'fi-hel1' })
    t.equal(
      ((await get('/server', bearer(c.token!))).body.servers as { server: unknown[] }).server
        .length,
      12,
      'GetServers: all at once',
    )
    const ips = await get('/ip_address', bearer(c.token!))
    t.match((ips.body.ip_addresses as { ip_address: unknown[] }).ip_address[0], {
      access: 'public',
      address: '192.0.2.1',
      family: 'IPv4',
      part_of_plan: 'yes',
      server: servers[0]!.providerServerId,
      zone: 'fi-hel1',
    })
  })

  t.test(
    'a bad credential: 401 AUTHENTICATION_FAILED, as a problem or a legacy error',
    async (t) => {
      const token = await get('/account', bearer(demoCredentials.upcloud!.revoked!.token!))
      t.equal(token.status, 401)
      t.equal(token.type, 'application/problem+json', 'the Go client reads it as a Problem')
      t.match(token.body, { type: /#ERROR_AUTHENTICATION_FAILED$/, title: String, status: 401 })
      const basic = await get('/account', `Basic ${Buffer.from('nobody:wrong').toString('base64')}`)
      t.equal(basic.status, 401)
      t.not(basic.type, 'application/problem+json', 'a legacy error')
      t.match(basic.body, { error: { error_code: 'AUTHENTICATION_FAILED', error_message: String } })
    },
  )

  const twoServers: SimServer[] = [0, 1].map((i) => ({
    providerServerId: `00${String(i).padStart(6, '0')}-0000-4000-a000-00000000000${i}`,
    name: `web-${i}`,
    status: 'started',
    region: 'fi-hel1',
    ipv4: `192.0.2.${i + 1}`,
  }))

  t.test('a server created, stopped and deleted as upcloud-go-api does it', async (t) => {
    const c = sim.issueCredential({ servers: twoServers })
    const api = clientFor('upcloud', { baseUrl: sim.url, credentials: c })
    sim.clearRequests()
    const uuid = await api.create('cl-write-1')
    t.match(uuid, /^00[0-9a-f]{6}-/)
    t.same(await api.list(), ['web-0', 'web-1', 'cl-write-1'])
    await api.remove(uuid)
    t.same(await api.list(), ['web-0', 'web-1'], 'gone after the delete')
    const writes = sim.requests.filter((r) => r.method !== 'GET')
    t.same(
      writes.map((r) => [r.method, r.path, r.credential]),
      [
        ['POST', '/1.3/server', c.token],
        ['POST', `/1.3/server/${uuid}/stop`, c.token],
        ['DELETE', `/1.3/server/${uuid}/?storages=1`, c.token],
      ],
    )
    t.match(JSON.parse(writes[0]!.body), {
      server: {
        zone: 'fi-hel1',
        title: 'cl-write-1',
        storage_devices: { storage_device: [{ action: 'clone' }] },
      },
    })
  })

  t.test('the answers: ServerDetails, 202 then 204; a started server is not deleted', async (t) => {
    const c = sim.issueCredential({ servers: twoServers })
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${sim.url}/1.3${path}`, {
        method,
        headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      })
      const text = await res.text()
      return {
        status: res.status,
        type: res.headers.get('content-type'),
        body: text ? JSON.parse(text) : null,
      }
    }
    const created = await call('POST', '/server', {
      server: {
        zone: 'de-fra1',
        title: 'api',
        hostname: 'api.example.com',
        storage_devices: {
          storage_device: [{ action: 'clone', storage: '01000000-0000-4000-8000-000030240200' }],
        },
      },
    })
    t.equal(created.status, 202)
    t.match(created.body, {
      server: {
        uuid: String,
        title: 'api',
        hostname: 'api.example.com',
        zone: 'de-fra1',
        state: 'maintenance',
        core_number: /^\d+$/,
        memory_amount: /^\d+$/,
        ip_addresses: { ip_address: [{ family: 'IPv4', access: 'public' }] },
        storage_devices: { storage_device: [{ type: 'disk', storage_size: Number }] },
      },
    })
    const uuid = created.body.server.uuid as string
    t.match(await call('DELETE', `/server/${uuid}`), {
      status: 400,
      type: 'application/problem+json',
      body: { type: /#ERROR_SERVER_STATE_ILLEGAL$/ },
    })
    t.match(await call('POST', `/server/${uuid}/stop`, { stop_server: { stop_type: 'soft' } }), {
      status: 202,
      body: { server: { uuid, state: 'stopped' } },
    })
    t.same(await call('DELETE', `/server/${uuid}`), { status: 204, type: null, body: null })
    t.match(
      await call('POST', '/server', { server: { zone: 'mars-1', title: 'x', hostname: 'x' } }),
      {
        status: 400,
        body: { type: /#ERROR_ZONE_INVALID$/ },
      },
    )
  })

  t.test('a sub-account that may only read: its writes are ACTION_FORBIDDEN', async (t) => {
    const readOnly = sim.issueCredential({ access: { compute: 'read' }, servers: twoServers })
    const api = clientFor('upcloud', { baseUrl: sim.url, credentials: readOnly })
    t.same(await api.list(), ['web-0', 'web-1'])
    await t.rejects(api.create('cl-nope'), {
      status: 403,
      body: { type: /#ERROR_ACTION_FORBIDDEN$/ },
    })
  })
})
