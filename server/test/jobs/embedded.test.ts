import t from 'tap'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from '../helper.js'
import { team } from '../support/fixtures.js'
import { simulators } from '../support/sims.js'
import { connectAll, makeDue } from './fixtures/recheck.js'

/** Never fires during the test: the sweep is started by hand. */
const MANUAL = '0 0 1 1 *'

t.test('embedded PGlite: the worker hands the sweep to the app connection', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'cloudlink-jobs-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const { config, sim } = await simulators(t, ['vultr'])
  const { app } = await build(t, {
    env: { DATA_DIR: dir },
    config: { ...config, RECHECK_SCHEDULE: MANUAL },
  })
  t.equal(app.config.embedded, true)
  const { workspaceId, owner } = await team(app)
  await connectAll(app, owner, workspaceId, sim, ['vultr'], 1)
  await makeDue(app)
  t.match(await app.jobs.runRecheck(), { checked: 1, ok: 1 })
})
