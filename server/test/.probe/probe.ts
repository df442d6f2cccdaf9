import { build } from '../helper.js'
import { team } from '../support/fixtures.js'

const teardowns: (() => unknown)[] = []
const t = { teardown: (fn: () => unknown) => void teardowns.push(fn) }
const start = Date.now()
const { app } = await build(t)
console.log('build ms', Date.now() - start)
const s2 = Date.now()
const tm = await team(app)
console.log('team ms', Date.now() - s2)
const h = tm.owner.headers
const show = async (label: string, opts: Parameters<typeof app.inject>[0]) => {
  const res = await app.inject(opts as never)
  console.log(label, res.statusCode, res.body.slice(0, 300))
}
const ws = `/api/v1/workspaces/${tm.workspaceId}`
await show('bad pct', { url: `${ws}/members/%E0%A4%A`, method: 'PATCH', headers: h })
await show('bad pct ws', { url: `/api/v1/workspaces/%zz/members`, headers: h })
await show('broken json', {
  url: `${ws}/invitations`,
  method: 'POST',
  headers: { ...h, 'content-type': 'application/json' },
  payload: '{"a":',
})
await show('empty json', {
  url: `${ws}/invitations`,
  method: 'POST',
  headers: { ...h, 'content-type': 'application/json' },
  payload: '',
})
await show('proto', {
  url: `${ws}/invitations`,
  method: 'POST',
  headers: { ...h, 'content-type': 'application/json' },
  payload: '{"__proto__":{"x":1}}',
})
await show('form', {
  url: `${ws}/invitations`,
  method: 'POST',
  headers: { ...h, 'content-type': 'application/x-www-form-urlencoded' },
  payload: 'a=1',
})
await show('text', {
  url: `${ws}/invitations`,
  method: 'POST',
  headers: { ...h, 'content-type': 'text/plain' },
  payload: 'hello',
})
await show('big', {
  url: `${ws}/invitations`,
  method: 'POST',
  headers: h,
  payload: { email: 'a'.repeat(1024 * 1024), role: 'member' },
})
await show('long param', { url: `${ws}/members/${'x'.repeat(300)}`, method: 'DELETE', headers: h })
await show('query', {
  url: `${ws}/audit?limit=abc&cursor[x]=1&%E0%A4%A=1&__proto__[p]=1&=&&a=`,
  headers: h,
})
await show('query2', {
  url: `/api/v1/me?limit=abc&cursor[x]=1&%E0%A4%A=1&__proto__[p]=1&=&&a=`,
  headers: h,
})
await show('wrong type', {
  url: `${ws}/invitations`,
  method: 'POST',
  headers: h,
  payload: { email: { wrong: true }, role: 'member' },
})
await show('get with body', {
  url: `${ws}/members`,
  method: 'GET',
  headers: { ...h, 'content-type': 'application/json' },
  payload: '{"a":',
})
await show('delete broken json', {
  url: `${ws}/members/${tm.member.user.id}`,
  method: 'DELETE',
  headers: { ...h, 'content-type': 'application/json' },
  payload: '{"a":',
})
await show('charset', {
  url: `${ws}/invitations`,
  method: 'POST',
  headers: { ...h, 'content-type': 'application/json; charset=utf-16' },
  payload: '{}',
})
await show('nested', {
  url: `${ws}/invitations`,
  method: 'POST',
  headers: { ...h, 'content-type': 'application/json' },
  payload: '['.repeat(100000) + ']'.repeat(100000),
})
for (const fn of teardowns.reverse()) await fn()
