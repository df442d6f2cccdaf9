import t from 'tap'
import type { Test } from 'tap'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from './helper.js'
import { assertErrorShape } from './support/http.js'

const INDEX = '<!doctype html><title>Cloudlink test build</title>'
const SCRIPT = 'console.log("app")'
const ICON = '<svg xmlns="http://www.w3.org/2000/svg"/>'

t.test('the built SPA is served from memory', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'cloudlink-web-'))
  t.teardown(() => rm(root, { recursive: true, force: true }))
  await mkdir(join(root, 'assets'))
  await writeFile(join(root, 'index.html'), INDEX)
  await writeFile(join(root, 'assets', 'app-3f2a9c.js'), SCRIPT)
  await writeFile(join(root, 'favicon.svg'), ICON)
  const { app } = await build(t, { app: { webRoot: root } })

  const check = async (t: Test) => {
    const script = await app.inject({ url: '/assets/app-3f2a9c.js' })
    t.equal(script.statusCode, 200)
    t.equal(script.body, SCRIPT)
    t.match(script.headers['content-type'], /javascript/)
    t.equal(script.headers['cache-control'], 'public, max-age=31536000, immutable')
    const icon = await app.inject({ url: '/favicon.svg' })
    t.equal(icon.body, ICON)
    t.match(icon.headers['content-type'], /^image\/svg\+xml/)
    t.equal(icon.headers['cache-control'], 'no-cache')
    for (const url of ['/', '/workspaces/x/cloud-accounts', '/invite/abc?x=1', '/index.html']) {
      const page = await app.inject({ url })
      t.equal(page.statusCode, 200, url)
      t.equal(page.body, INDEX, `${url} is the SPA`)
      t.match(page.headers['content-type'], /^text\/html; charset=utf-8/, url)
      t.equal(page.headers['cache-control'], 'no-cache', url)
    }
    const again = await app.inject({
      url: '/assets/app-3f2a9c.js',
      headers: { 'if-none-match': String(script.headers.etag) },
    })
    t.equal(again.statusCode, 304, 'a revalidation with the ETag is answered without a body')
    t.equal(again.body, '')
    const missing = await app.inject({ url: '/assets/app-0ld.js' })
    t.equal(missing.statusCode, 404, 'an asset of another build is not the SPA')
    assertErrorShape(t, missing)
    const api = await app.inject({ url: '/api/v1/nothing-here' })
    t.equal(api.statusCode, 404)
    t.equal(api.json().code, 'NOT_FOUND')
    const outside = await app.inject({ url: '/../package.json' })
    t.notMatch(outside.body, /"name"/, 'nothing outside the build is reachable')
  }

  await t.test('while the files are on disk', check)
  // Served from what was read at start: the disk is not read per request (no thread-pool work).
  await rm(root, { recursive: true, force: true })
  await t.test('after the files are gone from disk', check)
})
