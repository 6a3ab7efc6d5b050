// A folder of cached files that stays within its size: after writes (noteCacheWrite: asynchronous,
// one prune at a time, not after every write), the least recently used files are removed until the
// folder holds at most maxFiles files and maxBytes bytes. "Used" is the
// later of the access and modification times: a hit sets the access time explicitly (mounts with
// noatime/relatime would not), and the modification time stays the time the file was made. Used by
// the offline packs and the certificate files, whose keys include things a request chooses (a
// selection of lessons, the site's address without APP_ORIGIN): without a bound, forged requests
// could fill the disk. Several processes may prune the same folder: a file already gone is fine;
// the file just written, or just read, is the newest, so it is the last to go.
import fs from 'node:fs'
import path from 'node:path'

export interface DiskCacheLimits {
  maxFiles: number
  maxBytes: number
}

/** A temporary file older than this was left by a crashed write. */
const STALE_TMP_MS = 3_600_000

/** Marks a cached file as just used, so pruning keeps it longest. */
export function touchCached(file: string, now = new Date()): void {
  try {
    fs.utimesSync(file, now, fs.statSync(file).mtime)
  } catch {
    // Gone meanwhile (pruned by another process): the caller still has what it read.
  }
}

/** Removes least recently used files of `dir` until it is within `limits`. Returns the files removed. */
export async function pruneDiskCache(
  dir: string,
  limits: DiskCacheLimits,
  { keep, now = Date.now() }: { keep?: string | ReadonlySet<string>; now?: number } = {},
): Promise<string[]> {
  const kept = (file: string) => (typeof keep === 'string' ? file === keep : (keep?.has(file) ?? false))
  let names: string[]
  try {
    names = await fs.promises.readdir(dir)
  } catch {
    return []
  }
  const removed: string[] = []
  const files: Array<{ file: string; bytes: number; used: number }> = []
  // Stat in small batches: a folder of 20,000 certificates never holds the event loop.
  for (let i = 0; i < names.length; i += STAT_BATCH) {
    const batch = names.slice(i, i + STAT_BATCH)
    const stats = await Promise.all(batch.map((name) => fs.promises.stat(path.join(dir, name)).catch(() => null)))
    for (const [j, stat] of stats.entries()) {
      if (!stat?.isFile()) continue
      const name = batch[j]!
      const file = path.join(dir, name)
      if (name.endsWith('.tmp')) {
        if (now - stat.mtimeMs > STALE_TMP_MS && (await remove(file))) removed.push(file)
        continue
      }
      files.push({ file, bytes: stat.size, used: Math.max(stat.atimeMs, stat.mtimeMs) })
    }
  }
  files.sort((a, b) => a.used - b.used) // least recently used first
  let count = files.length
  let bytes = files.reduce((sum, f) => sum + f.bytes, 0)
  for (const f of files) {
    if (count <= limits.maxFiles && bytes <= limits.maxBytes) break
    if (kept(f.file)) continue
    if (await remove(f.file)) removed.push(f.file)
    count--
    bytes -= f.bytes
  }
  return removed
}

/** A prune at least this often while files are written, whatever the counts below. */
export const PRUNE_INTERVAL_MS = 60_000
/** At most this many writes between prunes (fewer for a small folder: a tenth of maxFiles). */
export const PRUNE_EVERY_WRITES = 50
const STAT_BATCH = 64

interface PruneState {
  running: Promise<void> | null
  /** A prune fell due while one was running: run once more after it. */
  again: boolean
  writes: number
  bytes: number
  lastAt: number
  /** Files written since the last prune ended: never removed by the prune running (a pack is yet to be sent). */
  recent: Set<string>
}
const pruning = new Map<string, PruneState>()

/**
 * Called after each file written to `dir`: prunes it, asynchronously and not after every write.
 * At most one prune runs per folder; the next is due after a tenth of maxFiles writes (at most
 * PRUNE_EVERY_WRITES), a tenth of maxBytes written, or PRUNE_INTERVAL_MS, whichever comes first.
 * So the folder stays within its limits plus that tenth (plus what is written during one prune:
 * files written since a prune began are not removed by it).
 * Returns the prune running for the folder, if any (tests wait on it; requests do not).
 */
export function noteCacheWrite(dir: string, limits: DiskCacheLimits, { keep, bytes = 0, now = Date.now() }: { keep?: string; bytes?: number; now?: number } = {}): Promise<void> | null {
  let s = pruning.get(dir)
  if (!s) pruning.set(dir, (s = { running: null, again: false, writes: 0, bytes: 0, lastAt: 0, recent: new Set() }))
  s.writes++
  s.bytes += bytes
  if (keep) s.recent.add(keep)
  const everyWrites = Math.max(1, Math.min(PRUNE_EVERY_WRITES, Math.floor(limits.maxFiles / 10)))
  const due = s.writes >= everyWrites || s.bytes >= limits.maxBytes / 10 || now - s.lastAt >= PRUNE_INTERVAL_MS
  if (!due) return s.running
  if (s.running) {
    s.again = true
    return s.running
  }
  const state = s
  const start = (): Promise<void> => {
    state.writes = 0
    state.bytes = 0
    state.lastAt = now
    return pruneDiskCache(dir, limits, { keep: state.recent })
      .then(
        () => undefined,
        (error: unknown) => console.warn('[cache] could not prune', dir, (error as Error).message),
      )
      .then(() => {
        if (!state.again) return
        state.again = false
        return start()
      })
  }
  state.running = start().finally(() => {
    state.running = null
    state.recent = new Set()
  })
  return state.running
}

/** Waits for the folder's prune, if one is running (tests). */
export async function diskCachePruned(dir: string): Promise<void> {
  await pruning.get(dir)?.running
}

async function remove(file: string): Promise<boolean> {
  try {
    await fs.promises.unlink(file)
    return true
  } catch {
    return false
  }
}
