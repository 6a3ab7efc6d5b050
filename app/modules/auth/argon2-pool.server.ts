// Argon2id off the page path (docs/decisions/012-page-cache-and-sign-in-load.md). A verification is
// ~25 ms of pure CPU; on a 2-core server four of them at once on libuv's thread pool left the
// event loop — every page — waiting for a core. Here they run in a few worker threads that lower
// their own scheduling priority (Linux applies setpriority(PRIO_PROCESS, 0) to the calling thread
// only), so a page request that needs the CPU gets it first, while sign-ins still use every core
// the pages leave idle. The Argon2 parameters are the callers': nothing here changes them.
import os from 'node:os'
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
}

export interface Argon2Pool {
  run<T>(task: Op): Promise<T>
  size: number
}

function createPool(size: number, nice: number): Argon2Pool {
  const idle: Worker[] = []
  const queue: Job[] = []
  const busy = new Map<Worker, Job>()
  let nextId = 1

  function spawn(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { nice } })
    worker.unref() // never what keeps a process (a test run, a CLI) alive
    worker.on('message', (message: { id: number; value?: unknown; error?: string }) => {
      const job = busy.get(worker)
      busy.delete(worker)
      if (job) {
        if (message.error !== undefined) job.reject(new Error(message.error))
        else job.resolve(message.value)
      }
      idle.push(worker)
      pump()
    })
    worker.on('error', (error) => {
      const job = busy.get(worker)
      busy.delete(worker)
      job?.reject(error)
      // A crashed worker is replaced; the queue goes on.
      idle.push(spawn())
      pump()
    })
    return worker
  }
  for (let i = 0; i < size; i++) idle.push(spawn())

  function pump() {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop()!
      const job = queue.shift()!
      busy.set(worker, job)
      worker.postMessage({ id: job.id, op: job.task.op, args: job.task.args })
    }
  }

  return {
    size,
    run<T>(task: Op) {
      return new Promise<T>((resolve, reject) => {
        queue.push({ id: nextId++, task, resolve: resolve as (v: unknown) => void, reject })
        pump()
      })
    },
  }
}

/** One pool per process: as many workers as cores, at nice ARGON2_NICE (default 10). */
export function argon2Pool(): Argon2Pool {
  return singleton('argon2-pool', () => {
    // Checked at start with the rest of the environment (app/utils/env.server.ts).
    const env = argon2Env()
    return createPool(env.ARGON2_THREADS ?? os.availableParallelism(), env.ARGON2_NICE)
  })
}
