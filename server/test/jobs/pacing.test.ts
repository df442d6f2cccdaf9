import t from 'tap'
import { LanePacer } from '../../src/domain/recheck/pacing.js'

/** Times `n` checks of `ms` each on the lane. */
const time = (pacer: LanePacer, id: 'aws' | 'hetzner-cloud', n: number, ms: number) => {
  for (let i = 0; i < n; i++) pacer.checked(id, ms)
}

/** Two lanes of 16 and 1,000 due accounts each, timed: aws 800 ms a check, hetzner 200 ms. */
const timedPair = () => {
  const pacer = new LanePacer()
  pacer.add('aws', 16, 1000)
  pacer.add('hetzner-cloud', 16, 1000)
  time(pacer, 'aws', 10, 800)
  time(pacer, 'hetzner-cloud', 10, 200)
  return pacer
}

t.test('lanes run at their concurrency until every lane has timed a few checks', async (t) => {
  const pacer = new LanePacer()
  pacer.add('aws', 16, 1000)
  pacer.add('hetzner-cloud', 16, 1000)
  time(pacer, 'hetzner-cloud', 20, 100)
  t.equal(pacer.allowed('hetzner-cloud'), 16, 'aws has not been timed yet')
  t.equal(pacer.allowed('aws'), 16)
})

t.test('a quicker lane keeps just enough in flight to end with the slowest', async (t) => {
  const pacer = timedPair()
  // aws: 990 × 800 ms ÷ 16 ≈ 49.5 s; hetzner at 990 × 200 ms needs 4 in flight for that, 5 with headroom.
  t.equal(pacer.allowed('aws'), 16, 'the slowest lane sets the pace at full concurrency')
  t.equal(pacer.allowed('hetzner-cloud'), 5)
  time(pacer, 'hetzner-cloud', 980, 200)
  t.equal(pacer.allowed('hetzner-cloud'), 1, 'never below one check in flight')
})

t.test('an exhausted lane, or one whose count ran out, is not held back', async (t) => {
  const pacer = new LanePacer()
  pacer.add('aws', 16, 1000)
  pacer.add('hetzner-cloud', 16, 20)
  time(pacer, 'aws', 10, 800)
  time(pacer, 'hetzner-cloud', 10, 200)
  t.equal(pacer.allowed('hetzner-cloud'), 1)
  time(pacer, 'hetzner-cloud', 10, 200)
  t.equal(pacer.allowed('hetzner-cloud'), 16, 'more claims than counted: full concurrency')
  pacer.add('hetzner-cloud', 16, 500)
  time(pacer, 'hetzner-cloud', 10, 200)
  t.ok(pacer.allowed('hetzner-cloud') < 16)
  pacer.exhausted('hetzner-cloud')
  t.equal(pacer.allowed('hetzner-cloud'), 16, 'exhausted: every worker goes on to find the end')
  pacer.exhausted('aws')
  t.equal(pacer.allowed('aws'), 16)
})

t.test('a held-back worker goes when the stop signal aborts', async (t) => {
  const pacer = timedPair()
  const stop = new AbortController()
  let went = false
  const turn = pacer.turn('hetzner-cloud', 10, stop.signal).then(() => (went = true))
  await new Promise((resolve) => setTimeout(resolve, 250))
  t.notOk(went, 'worker 10 waits while 5 may run')
  stop.abort()
  await turn
  t.ok(went)
  await pacer.turn('hetzner-cloud', 0, new AbortController().signal)
  t.pass('worker 0 never waits')
})
