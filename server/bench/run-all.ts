/**
 * Runs every benchmark in this folder (api, broker, fleet, sweep, vault; not lib/, their
 * helpers), one process each, and prints their ratios. `npm run bench -- fleet sweep` runs only
 * those.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2)
let failed = 0
for (const file of readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run-all.ts')
  .sort()) {
  if (only.length > 0 && !only.some((name) => file.startsWith(name))) continue
  console.log(`\n=== ${file} ===`)
  const res = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], {
    stdio: 'inherit',
  })
  if (res.status !== 0) failed++
}
process.exitCode = failed > 0 ? 1 : 0
