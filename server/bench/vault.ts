/**
 * Vault seal+open per second against raw AES-256-GCM encrypt+decrypt of the same credential, in one
 * process, same iterations, warmed up, rounds interleaved so drift hits every contender alike.
 * Two raw baselines: GCM as usually written (Buffer key, randomBytes IV) and GCM with the same tuning
 * the vault uses (KeyObject key, pooled IV). The envelope does two GCM operations where raw does one,
 * and imports a fresh data key for each, so against the tuned baseline it stays below 0.5. Run: pnpm exec tsx bench/vault.ts [iterations]
 */
import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  randomBytes,
  randomUUID,
  type CipherKey,
} from 'node:crypto'
import { availableParallelism, loadavg } from 'node:os'
import { createVault } from '../src/domain/vault/vault.js'
import { takeRandom } from '../src/domain/vault/random.js'

const iterations = Number(process.argv[2] ?? 50_000)
const rounds = 5
const credential = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  region: 'eu-central-1',
}
const aad = { workspaceId: randomUUID(), accountId: randomUUID() }
const rawKey = randomBytes(32)
const vault = createVault({ keys: `bench:${randomBytes(32).toString('base64')}` })

/** One raw GCM encrypt + decrypt of the credential JSON, as a store without envelopes would do. */
function rawGcm(key: CipherKey, iv: () => Buffer) {
  return () => {
    const nonce = iv()
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 })
    const ct = Buffer.concat([cipher.update(JSON.stringify(credential), 'utf8'), cipher.final()])
    const tag = cipher.getAuthTag()
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 })
    decipher.setAuthTag(tag)
    const pt = Buffer.concat([decipher.update(ct), decipher.final()])
    return JSON.parse(pt.toString('utf8')) as unknown
  }
}

const contenders: Record<string, () => unknown> = {
  'raw GCM, typical (Buffer key, randomBytes IV)': rawGcm(rawKey, () => randomBytes(12)),
  'raw GCM, tuned (KeyObject, pooled IV)': rawGcm(createSecretKey(rawKey), () =>
    Buffer.from(takeRandom(12)),
  ),
  'vault seal + open (envelope)': () => vault.open(vault.seal(credential, aad), aad),
}

const opsPerSecond = (fn: () => unknown, n: number) => {
  const start = process.hrtime.bigint()
  for (let i = 0; i < n; i++) fn()
  return n / (Number(process.hrtime.bigint() - start) / 1e9)
}

for (const fn of Object.values(contenders)) opsPerSecond(fn, Math.ceil(iterations / 5))
const best: Record<string, number> = {}
for (let round = 0; round < rounds; round++)
  for (const [name, fn] of Object.entries(contenders))
    best[name] = Math.max(best[name] ?? 0, opsPerSecond(fn, iterations))

const [typical, tuned, envelope] = Object.values(best) as [number, number, number]
const plaintextBytes = Buffer.byteLength(JSON.stringify(credential))
console.log(
  `Vault vs raw AES-256-GCM: ${plaintextBytes}-byte credential, ${iterations} iterations, best of ${rounds} (Node ${process.version}, load ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} CPUs)`,
)
for (const [name, ops] of Object.entries(best))
  console.log(`  ${name.padEnd(48)} ${Math.round(ops).toLocaleString('en').padStart(9)} ops/s`)
console.log(
  `  ratio vault / raw typical: ${(envelope / typical).toFixed(2)}  (target >= 0.8: ${envelope / typical >= 0.8 ? 'met' : 'NOT met'})`,
)
console.log(
  `  ratio vault / raw tuned:   ${(envelope / tuned).toFixed(2)}  (4 GCM ops + 2 data-key imports vs 2 GCM ops: < 0.5 by design)`,
)
