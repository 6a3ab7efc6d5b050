// Argon2id off the page path (docs/decisions/012, 029). A verification is ~25 ms of pure CPU; on a
// 2-core server as many of them at once as there are cores leave the event loop — every page —
// waiting for a core. Here they run in worker threads with two guards:
// - pages first: while the event loop is busy (pages are being served: its utilisation over the
//   last 50 ms above one half), new jobs start only on one spare worker at nice ARGON2_BUSY_NICE
//   (default 19; Linux applies setpriority(PRIO_PROCESS, 0) to the calling thread only), so sign-ins
//   take what the pages leave; when the loop is idle (sign-ins only), every worker is used, at nice
//   ARGON2_NICE (default 0: niced workers lost most sign-ins to other work on the machine). Without
//   a spare (createPool's busyNice unset) the limit is cores − 1 jobs at once instead;
// - admission: when more than `queueMax` jobs already wait, a sign-in is not queued but answered
//   "thử lại sau ít giây" (503, Retry-After), so a rush cannot build a queue of minutes.
// The Argon2 parameters are the callers': nothing here changes them.
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import { argon2Env } from '~/utils/env.server'
import { singleton } from '~/utils/singleton.server'

// A CommonJS worker given as source: the Remix build bundles this module, so a worker file beside
// it would not exist in build/. `require` resolves from the working directory (the app's root).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const os = require('node:os')
const argon2 = require('@node-rs/argon2')
try { os.setPriority(0, workerData.nice) } catch {}
parentPort.on('message', ({ id, op, args }) => {
  try {
    const value = op === 'hash' ? argon2.hashSync(args[0], args[1]) : argon2.verifySync(args[0], args[1])
    parentPort.postMessage({ id, value })
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) })
  }
})
`

type Op = { op: 'hash'; args: [string, object] } | { op: 'verify'; args: [string, string] }
interface Job {
  id: number
  task: Op
  resolve: (value: unknown) => void
  reject: (error: Error) => void
  startedAt: number
}

export interface Argon2Pool {
  run<T>(task: Op): Promise<T>
  size: number
  /** Jobs waiting for a worker. */
  readonly waiting: number
  /** Jobs being computed now. */
  readonly running: number
  /** False when the queue is full: the caller answers "try again in a few seconds" instead of queueing. */
  admits(): boolean
  /** Seconds a caller turned away should wait: about the time the queue takes to drain. */
  retryAfterSeconds(): number
  /** Ends the workers (jobs still queued are refused). */
  close(): Promise<void>
}

export interface PoolOptions {
  size: number
  /** The machine's cores (default os.availableParallelism()): while pages are served, at most cores − 1 jobs run. */
  cores?: number
  nice: number
  /** Leave a core to the event loop while it is busy (size − 1 jobs at most then; never below 1). */
  yieldToPages: boolean
  queueMax: number
  /** Whether the event loop is busy now; by default its utilisation over the last 50 ms. */
  pagesBusy?: () => boolean
  /**
   * When set: one more worker, at this nice, and while the event loop is busy new jobs start only on
   * it (the others finish theirs), so sign-ins then take only what the pages leave of a core.
   */
  busyNice?: number
}

/** The main thread's event-loop utilisation over the last ≥ 50 ms, above one half. */
function eventLoopBusy(): () => boolean {
  let last = performance.eventLoopUtilization()
  let at = performance.now()
  let busy = false
  return () => {
    const now = performance.now()
    if (now - at >= 50) {
      const current = performance.eventLoopUtilization()
      busy = performance.eventLoopUtilization(current, last).utilization > 0.5
      last = current
      at = now
    }
    return busy
  }
}

export function createPool({ size, cores = os.availableParallelism(), nice, yieldToPages, queueMax, pagesBusy = eventLoopBusy(), busyNice }: PoolOptions): Argon2Pool {
  const limitWhilePagesBusy = Math.max(1, Math.min(size, cores) - 1)
  const idle: Worker[] = []
  const queue: Job[] = []
  const busy = new Map<Worker, Job>()
  let nextId = 1
  /** Milliseconds per job, smoothed: what Retry-After is estimated from. */
  let jobMs = 30
  let closed = false

  function spawn(workerNice = nice, isSpare = false): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { nice: workerNice } })
    worker.unref() // never what keeps a process (a test run, a CLI) alive
    worker.on('message', (message: { id: number; value?: unknown; error?: string }) => {
      const job = busy.get(worker)
      busy.delete(worker)
      if (job) {
        jobMs = jobMs * 0.9 + (performance.now() - job.startedAt) * 0.1
        if (message.error !== undefined) job.reject(new Error(message.error))
        else job.resolve(message.value)
      }
      if (!isSpare) idle.push(worker)
      pump()
    })
    worker.on('error', (error) => {
      const job = busy.get(worker)
      busy.delete(worker)
      job?.reject(error)
      if (closed) return
      // A crashed worker is replaced; the queue goes on.
      if (isSpare) spare = spawn(workerNice, true)
      else idle.push(spawn())
      pump()
    })
    return worker
  }
  for (let i = 0; i < size; i++) idle.push(spawn())
  let spare: Worker | undefined = busyNice !== undefined && yieldToPages ? spawn(busyNice, true) : undefined

  function start(worker: Worker, job: Job) {
    job.startedAt = performance.now()
    busy.set(worker, job)
    worker.postMessage({ id: job.id, op: job.task.op, args: job.task.args })
  }

  function pump() {
    if (queue.length === 0) return
    // Pages being served, with a spare: only the low-priority spare takes new jobs.
    const spareOnly = spare !== undefined && pagesBusy()
    while (!spareOnly && idle.length > 0 && queue.length > 0) {
      // A job ending calls pump again, so a worker left idle here is taken up as soon as the pages let it.
      if (!spare && yieldToPages && busy.size >= limitWhilePagesBusy && pagesBusy()) return
      start(idle.pop()!, queue.shift()!)
    }
    if (spare && !busy.has(spare) && queue.length > 0) start(spare, queue.shift()!)
  }

  return {
    size,
    get waiting() {
      return queue.length
    },
    get running() {
      return busy.size
    },
    async close() {
      closed = true
      const workers = [...idle.splice(0), ...busy.keys(), ...(spare ? [spare] : [])]
      for (const job of [...queue.splice(0), ...busy.values()]) job.reject(new Error('the Argon2 pool is closed'))
      busy.clear()
      await Promise.all(workers.map((w) => w.terminate()))
    },
    admits() {
      return queue.length < queueMax
    },
    retryAfterSeconds() {
      return Math.max(1, Math.ceil(((queue.length + busy.size) * jobMs) / limitWhilePagesBusy / 1000))
    },
    run<T>(task: Op) {
      return new Promise<T>((resolve, reject) => {
        queue.push({ id: nextId++, task, resolve: resolve as (v: unknown) => void, reject, startedAt: 0 })
        pump()
      })
    },
  }
}

/** One pool per process: as many workers as cores (ARGON2_THREADS) at nice ARGON2_NICE, and the spare at ARGON2_BUSY_NICE. */
export function argon2Pool(): Argon2Pool {
  return singleton('argon2-pool', () => {
    // Checked at start with the rest of the environment (app/utils/env.server.ts).
    const env = argon2Env()
    const size = env.ARGON2_THREADS ?? os.availableParallelism()
    return createPool({ size, nice: env.ARGON2_NICE, yieldToPages: env.ARGON2_YIELD_TO_PAGES, queueMax: env.ARGON2_QUEUE_MAX ?? 16 * size, busyNice: env.ARGON2_BUSY_NICE })
  })
}
