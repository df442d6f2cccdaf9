import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface EmbeddedSecrets {
  VAULT_KEYS: string
  JWT_SECRET: string
}

/**
 * In embedded mode the keys are generated once and kept beside the data (mode 0600), so a newcomer
 * needs no set-up; production passes VAULT_KEYS and JWT_SECRET explicitly.
 */
export async function loadOrCreateSecrets(
  dataDir: string,
): Promise<{ secrets: EmbeddedSecrets; created: boolean }> {
  const file = join(dataDir, 'secrets.json')
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<EmbeddedSecrets>
    if (typeof parsed.VAULT_KEYS === 'string' && typeof parsed.JWT_SECRET === 'string')
      return {
        secrets: { VAULT_KEYS: parsed.VAULT_KEYS, JWT_SECRET: parsed.JWT_SECRET },
        created: false,
      }
  } catch (err: unknown) {
    if (!(err instanceof Error && 'code' in err && err.code === 'ENOENT')) throw err
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const secrets: EmbeddedSecrets = {
    VAULT_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    JWT_SECRET: randomBytes(48).toString('base64url'),
  }
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' })
  return { secrets, created: true }
}
