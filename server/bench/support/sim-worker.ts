import { parentPort, workerData } from 'node:worker_threads'
import { startSimulator, type Simulator } from '@cloudlink/e2e/simulators'
import type { ProviderId } from '@cloudlink/shared'

/**
 * Simulators in a thread of their own, as a provider runs on machines of its own: the benchmark's
 * main thread then measures the broker's work, not the simulator's. Posts each simulator's origin
 * and a credential it issued; empties their rate-limit windows while running (the benchmark sends
 * far more than any provider quota allows); closes them on 'close'.
 */
const ids = workerData as ProviderId[]
const sims: Simulator[] = []
for (const id of ids) sims.push(await startSimulator(id))
const unthrottle = setInterval(() => sims.forEach((s) => s.clearLimits()), 20)
parentPort?.on('message', async (message) => {
  if (message !== 'close') return
  clearInterval(unthrottle)
  await Promise.all(sims.map((s) => s.close()))
  parentPort?.close()
})
parentPort?.postMessage(
  sims.map((s) => ({ id: s.id, url: s.url, credentials: s.issueCredential() })),
)
