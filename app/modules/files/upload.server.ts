// The one reader of uploaded tables (roster now; attendance sheets and question imports later),
// docs/decisions/017:
// - every file is read under UploadLimits (size, ZIP entries, inflated bytes, ratio, rows,
//   columns, shared strings, XML depth), XLSX as a stream; over a limit → 413 at once;
// - one file at a time is parsed in each process (the CPU is shared with every other page),
//   the rest wait in a short queue or get a 503; withUploadSlot holds that turn for the whole
//   preview (read, check, store);
// - at most one file is read per account at a time, across all processes (withUploadSlot: a
//   lease row in upload_slot), so one person cannot fill the queue.
import { AsyncLocalStorage } from 'node:async_hooks'
import { randomUUID } from 'node:crypto'
import type { PrismaClient } from '@prisma/client'
import { AppError } from '~/utils/errors'
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from './limits'
import { limitError } from './messages'
import { detectUpload, readCsv, type ReadRow } from './table'
import { readXlsx } from './xlsx.server'

export { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from './limits'
export { detectUpload, readCsv, type ReadRow, type UploadKind } from './table'
export { readXlsx } from './xlsx.server'

// ───────────── Parses at a time, in this process ─────────────

const PARSES = 1
const QUEUE = 16
const QUEUE_WAIT_MS = 60_000
let running = 0
const waiting: (() => void)[] = []

const busy = () => new AppError('UNAVAILABLE', 'upload.serverBusy')

async function parseTurn(): Promise<() => void> {
  if (running >= PARSES) {
    if (waiting.length >= QUEUE) throw busy()
    await new Promise<void>((resolve, reject) => {
      const wake = () => {
        clearTimeout(timer)
        resolve()
      }
      const timer = setTimeout(() => {
        waiting.splice(waiting.indexOf(wake), 1)
        reject(busy())
      }, QUEUE_WAIT_MS)
      waiting.push(wake)
    })
  } else running++
  let released = false
  return () => {
    if (released) return
    released = true
    const next = waiting.shift()
    if (next) next()
    else running--
  }
}

/** Set while the current request holds the parse turn (withUploadSlot takes it for the whole preview). */
const holding = new AsyncLocalStorage<true>()

/** Runs `work` holding this process's parse turn (once: nested calls do not wait for themselves). */
async function withParseTurn<T>(work: () => Promise<T>): Promise<T> {
  if (holding.getStore()) return work()
  const release = await parseTurn()
  try {
    return await holding.run(true, work)
  } finally {
    release()
  }
}

/** Parses running and waiting in this process (for tests and the bench). */
export function parseLoad(): { running: number; waiting: number } {
  return { running, waiting: waiting.length }
}

/**
 * An uploaded CSV or XLSX as rows with their real line (CSV) or row (XLSX) numbers, under the
 * limits. Waits for a parse turn first; throws AppError (400, 413, 503) with a Vietnamese message.
 */
export async function readUpload(fileName: string, bytes: Uint8Array, limits: UploadLimits = DEFAULT_UPLOAD_LIMITS): Promise<ReadRow[]> {
  if (bytes.length > limits.maxBytes) throw limitError('bytes', limits)
  if (bytes.length === 0) throw new AppError('BAD_INPUT', 'roster.empty')
  const kind = detectUpload(fileName, bytes)
  return withParseTurn(async () => (kind === 'xlsx' ? readXlsx(bytes, limits) : readCsv(bytes, limits)))
}

// ───────────── One file per account, across processes ─────────────

/** How long a slot holds if its process dies without releasing it. */
const SLOT_LEASE_S = 300

/**
 * Runs `work` (reading an uploaded file and what follows: checking its rows, storing the preview)
 * holding the account's upload slot — or refuses with 409 if the account is having another file
 * read, in any process — and this process's parse turn, so that one heavy preview at a time
 * shares the CPU with the other pages.
 */
export async function withUploadSlot<T>(db: PrismaClient, userId: string, work: () => Promise<T>): Promise<T> {
  const token = randomUUID()
  const taken = await db.$queryRaw<{ token: string }[]>`
    INSERT INTO upload_slot (user_id, token, expires_at) VALUES (${userId}::uuid, ${token}, now() + make_interval(secs => ${SLOT_LEASE_S}))
    ON CONFLICT (user_id) DO UPDATE SET token = EXCLUDED.token, expires_at = EXCLUDED.expires_at
    WHERE upload_slot.expires_at < now()
    RETURNING token`
  if (taken.length !== 1) throw new AppError('CONFLICT', 'upload.accountBusy')
  try {
    return await withParseTurn(work)
  } finally {
    await db.$executeRaw`DELETE FROM upload_slot WHERE user_id = ${userId}::uuid AND token = ${token}`
  }
}
