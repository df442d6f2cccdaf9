import type { Worker } from 'node:worker_threads'
import type Bree from 'bree'

/** What a job's module needs from the one bree instance the jobs plugin owns. */
export interface JobHost {
  /** The job's live worker thread, if one runs. */
  worker(name: string): Worker | undefined
  /** Starts the job's worker now (no-op while one runs). */
  run(name: string): Promise<void>
}

/** One bree job and its side in the parent: messages, worker lifecycle, start and stop. */
export interface JobSpec {
  job: Bree.JobOptions & { name: string }
  onMessage(message: unknown): void
  onWorkerCreated?(): void
  onWorkerDeleted?(): void
  /** After bree started. */
  onReady?(): Promise<void> | void
  /** Before bree stops its workers. */
  onClose?(): Promise<void> | void
}

/** A worker runs the TypeScript source through tsx, the project's dev runner (not in production). */
export const workerExecArgv = (ext: string) =>
  ext === '.ts' ? { execArgv: ['--import', import.meta.resolve('tsx')] } : {}
