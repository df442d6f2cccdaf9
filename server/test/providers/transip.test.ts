import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto'
import t from 'tap'
import { invalidField, simContext } from './sim-context.js'

/** TransIP: the key is checked locally first; each check trades it for a short read-only token. */
t.test('transip', async (t) => {
  const { sim, module, ctx } = await simContext(t, 'transip')
  t.beforeEach(() => sim.clearRequests())

  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
  const pkcs8 = rsa.export({ type: 'pkcs8', format: 'pem' }) as string
  const pkcs1 = rsa.export({ type: 'pkcs1', format: 'pem' }) as string

  t.test(
    'a damaged or unusable key is a 400 naming credentials.privateKey, before any request',
    async (t) => {
      const reason = (privateKey: string) => {
        try {
          module.validate({ login: 'cloudlink', privateKey })
        } catch (err: unknown) {
          const details = (err as { details?: { field: string; message: string }[] }).details
          t.equal(details?.[0]?.field, 'credentials.privateKey')
          return details?.[0]?.message ?? ''
        }
        return 'accepted'
      }
      const body = pkcs8.split('\n').slice(1, -2).join('\n')
      const cases: [string, string, RegExp][] = [
        ['malformed', 'not a key at all', /does not look right/],
        ['truncated (no END line)', pkcs8.slice(0, 700), /incomplete.*END PRIVATE KEY/],
        [
          'truncated (middle cut out)',
          `-----BEGIN PRIVATE KEY-----\n${body.slice(0, 400)}\n-----END PRIVATE KEY-----\n`,
          /damaged or incomplete/,
        ],
        [
          'passphrase-protected PKCS#8',
          rsa.export({
            type: 'pkcs8',
            format: 'pem',
            cipher: 'aes-256-cbc',
            passphrase: 'pw',
          }) as string,
          /passphrase/,
        ],
        [
          'passphrase-protected PKCS#1',
          rsa.export({
            type: 'pkcs1',
            format: 'pem',
            cipher: 'aes-256-cbc',
            passphrase: 'pw',
          }) as string,
          /passphrase/,
        ],
        [
          'EC key',
          generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
            type: 'pkcs8',
            format: 'pem',
          }) as string,
          /EC key; TransIP key pairs are RSA/,
        ],
        [
          'Ed25519 key',
          generateKeyPairSync('ed25519').privateKey.export({
            type: 'pkcs8',
            format: 'pem',
          }) as string,
          /ED25519 key; TransIP key pairs are RSA/,
        ],
        [
          'public key',
          createPublicKey(rsa).export({ type: 'spki', format: 'pem' }) as string,
          /public key/,
        ],
        [
          'OpenSSH key',
          '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n-----END OPENSSH PRIVATE KEY-----',
          /OpenSSH/,
        ],
      ]
      for (const [name, key, expected] of cases) t.match(reason(key), expected, name)
      t.equal(sim.requests.length, 0, 'nothing was sent')
    },
  )

  t.test('PKCS#1, CRLF and indented pastes are the same PKCS#8 credential', async (t) => {
    const a = module.validate({ login: 'cloudlink', privateKey: pkcs8 })
    const b = module.validate({ login: 'cloudlink', privateKey: pkcs1 })
    const c = module.validate({
      login: 'cloudlink',
      privateKey: pkcs8.replace(/\n/g, '\r\n').replace(/^/gm, '  '),
    })
    t.equal(b.privateKey, pkcs8)
    t.equal(c.privateKey, pkcs8)
    t.equal(module.canonical(a), module.canonical(b))
    sim.registerCredential({ login: 'pkcs1-user', privateKey: pkcs8 })
    const result = await module.verify(
      ctx,
      module.validate({ login: 'pkcs1-user', privateKey: pkcs1 }),
    )
    t.equal(result.outcome, 'verified')
    t.equal(invalidField(module, { login: 'a b', privateKey: pkcs8 }), 'credentials.login')
  })

  t.test(
    'the signed body asks for a 30-second read-only global token with a unique label',
    async (t) => {
      const raw = sim.issueCredential({ identity: { id: '60449' } })
      const creds = module.validate(raw)
      t.same(await module.verify(ctx, creds), {
        outcome: 'verified',
        identity: { id: '60449', name: raw.login },
        warnings: [],
      })
      await module.verify(ctx, creds)
      const logins = sim.requests.filter((r) => r.path === '/v6/auth')
      t.equal(logins.length, 2)
      const bodies = logins.map((r) => JSON.parse(r.body) as Record<string, unknown>)
      for (const [i, r] of logins.entries()) {
        t.same(Object.keys(bodies[i]!), [
          'login',
          'nonce',
          'read_only',
          'expiration_time',
          'label',
          'global_key',
        ])
        t.match(bodies[i], {
          login: raw.login,
          read_only: true,
          expiration_time: '30 seconds',
          global_key: true,
        })
        t.match(bodies[i]!.nonce, /^[0-9a-f]{32}$/)
        t.match(bodies[i]!.label, /^cloudlink-[0-9a-f]{16}$/)
        const signature = Buffer.from(r.headers.signature ?? '', 'base64')
        t.ok(
          verify('sha512', Buffer.from(r.body), createPublicKey(raw.privateKey!), signature),
          'signature over the exact bytes',
        )
      }
      t.not(bodies[0]!.nonce, bodies[1]!.nonce)
      t.not(bodies[0]!.label, bodies[1]!.label)
      t.match(
        sim.requests.find((r) => r.path === '/v6/api-test'),
        { headers: { authorization: /^Bearer / } },
      )
    },
  )

  t.test(
    'another key for the login, or API access turned off: rejected, saying which',
    async (t) => {
      const raw = sim.issueCredential()
      const wrong = await module.verify(
        ctx,
        module.validate({ login: raw.login!, privateKey: pkcs8 }),
      )
      t.match(wrong, {
        outcome: 'rejected',
        providerStatus: 401,
        reason: new RegExp(`login ${raw.login}`),
      })
      const closed = await module.verify(
        ctx,
        module.validate(sim.issueCredential({ scopes: 'insufficient' })),
      )
      t.match(closed, {
        outcome: 'rejected',
        providerStatus: 409,
        reason: /API access is not enabled/,
      })
    },
  )

  t.test('a check signs once: the listing reuses the token its verify minted', async (t) => {
    const creds = module.validate(sim.issueCredential())
    t.match(await module.verify(ctx, creds), { outcome: 'verified' })
    t.match(await module.listServers(ctx, creds), { outcome: 'listed' })
    t.equal(sim.requests.filter((r) => r.path === '/v6/auth').length, 1, 'one token for the check')
    // Another check opens its own credentials from the vault: it signs for its own token.
    const another = module.validate(sim.issueCredential())
    t.match(await module.listServers(ctx, another), { outcome: 'listed' })
    t.equal(sim.requests.filter((r) => r.path === '/v6/auth').length, 2)
    const tokens = sim.requests
      .filter((r) => r.path.startsWith('/v6/vps'))
      .map((r) => r.headers.authorization)
    t.not(tokens[0], tokens.at(-1), 'never the first check’s token')
  })

  t.test('VPSes are listed by name, with description, zone and address', async (t) => {
    const raw = sim.issueCredential({
      servers: [
        {
          providerServerId: 'example-vps',
          name: 'web',
          status: 'running',
          region: 'ams0',
          ipv4: '192.0.2.5',
        },
      ],
    })
    t.same(await module.listServers(ctx, module.validate(raw)), {
      outcome: 'listed',
      servers: [
        {
          providerServerId: 'example-vps',
          name: 'web',
          status: 'running',
          region: 'ams0',
          ipv4: '192.0.2.5',
        },
      ],
    })
    t.equal(module.hint(module.validate(raw)), `••••${raw.login!.slice(-4)}`)
  })

  t.test('250 VPSes come in three pages of pageSize=100, from the `vpss` key', async (t) => {
    const servers = Array.from({ length: 250 }, (_, i) => ({
      providerServerId: `vps${String(i).padStart(3, '0')}`,
      name: `n${i}`,
      status: 'running',
      region: 'ams0',
      ipv4: null,
    }))
    const raw = sim.issueCredential({ servers })
    sim.clearRequests()
    const list = await module.listServers(ctx, module.validate(raw))
    t.equal(list.outcome === 'listed' && list.servers.length, 250)
    t.same(
      sim.requests.filter((r) => r.path.startsWith('/v6/vps')).map((r) => r.path),
      [1, 2, 3].map((page) => `/v6/vps?pageSize=100&page=${page}`),
    )
  })
})
