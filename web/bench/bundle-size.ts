/**
 * Gzipped JavaScript a browser loads to show the cloud accounts page
 * (/w/:id/settings/connections/cloud-accounts), read from the production build in web/dist:
 * the entry script and its modulepreloads, everything they import statically, and the route's
 * lazy view chunks (SettingsView, CloudAccountsView) with their static imports.
 * Target: 120 KB (KiB) gzipped. Run `pnpm --filter @cloudlink/web run build` first.
 *
 * render-time.ts cross-checks this list against what Chromium actually requests.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

export const TARGET_BYTES = 120 * 1024
/** The components the route matches, outermost first (see web/src/router/index.ts). */
export const ROUTE_VIEWS = ['SettingsView', 'CloudAccountsView']

const dist = fileURLToPath(new URL('../dist/', import.meta.url))

const STATIC_IMPORT =
  /(?:\bimport|\bexport)\s*(?:[\w$\s{},*]*?\bfrom\s*)?["'`](\.\/[^"'`]+\.js)["'`]/g
const DYNAMIC_IMPORT = /\bimport\(\s*["'`](\.\/[^"'`]+\.js)["'`]\s*\)/g

const read = (asset: string) => readFile(join(dist, asset))
const matches = (source: string, pattern: RegExp) =>
  [...source.matchAll(pattern)].map((m) => m[1] as string)

/** `assets/x.js` plus every chunk it imports statically, transitively. */
async function closure(start: string[], seen = new Set<string>()): Promise<Set<string>> {
  const queue = [...start]
  while (queue.length) {
    const asset = queue.shift() as string
    if (seen.has(asset)) continue
    seen.add(asset)
    const source = (await read(asset)).toString('utf8')
    for (const spec of matches(source, STATIC_IMPORT)) queue.push(join('assets', spec))
  }
  return seen
}

export interface BundleReport {
  files: { asset: string; raw: number; gzip: number; brotli: number; why: string }[]
  totalGzip: number
  totalRaw: number
  totalBrotli: number
}

export async function measureBundle(): Promise<BundleReport> {
  const html = await readFile(join(dist, 'index.html'), 'utf8').catch(() => {
    throw new Error(`no ${dist}index.html: run "pnpm --filter @cloudlink/web run build" first`)
  })
  const entry = /<script[^>]*type="module"[^>]*src="\/([^"]+\.js)"/.exec(html)?.[1]
  if (!entry) throw new Error('no module entry script in index.html')
  const preloads = matches(html, /<link[^>]*rel="modulepreload"[^>]*href="\/([^"]+\.js)"/g)

  const initial = await closure([entry, ...preloads])
  const lazy = new Set<string>()
  for (const asset of initial) {
    for (const spec of matches((await read(asset)).toString('utf8'), DYNAMIC_IMPORT)) {
      lazy.add(join('assets', spec))
    }
  }
  const routeChunks = ROUTE_VIEWS.map((view) => {
    const found = [...lazy].filter((asset) => asset.startsWith(`assets/${view}-`))
    if (found.length !== 1) {
      throw new Error(`expected one lazy chunk for ${view}, found ${found.join(', ') || 'none'}`)
    }
    return found[0] as string
  })
  const route = await closure(routeChunks, new Set(initial))

  const files: BundleReport['files'] = []
  for (const asset of route) {
    const bytes = await read(asset)
    files.push({
      asset,
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
      }).length,
      why: initial.has(asset) ? 'initial' : 'route (lazy)',
    })
  }
  const sum = (key: 'raw' | 'gzip' | 'brotli') => files.reduce((n, f) => n + f[key], 0)
  return { files, totalGzip: sum('gzip'), totalRaw: sum('raw'), totalBrotli: sum('brotli') }
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`

async function main() {
  const report = await measureBundle()
  console.log('bundle-size: JavaScript loaded for the cloud accounts page (web/dist)')
  for (const f of [...report.files].sort((a, b) => b.gzip - a.gzip)) {
    console.log(
      `  ${f.asset.padEnd(44)} ${kib(f.raw).padStart(9)} raw ${kib(f.gzip).padStart(9)} gzip  ${f.why}`,
    )
  }
  const ratio = report.totalGzip / TARGET_BYTES
  console.log(
    `  total: ${report.files.length} files, ${kib(report.totalRaw)} raw, ` +
      `${kib(report.totalGzip)} gzip (level 9), ${kib(report.totalBrotli)} brotli`,
  )
  console.log(
    `  gzip ${kib(report.totalGzip)} vs target ${kib(TARGET_BYTES)}: ratio ${ratio.toFixed(2)} ` +
      `(${ratio <= 1 ? 'within target' : 'OVER target'})`,
  )
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main()
