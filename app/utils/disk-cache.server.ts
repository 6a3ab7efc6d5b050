// A folder of cached files that stays within its size: after each write, the least recently used
// files are removed until the folder holds at most maxFiles files and maxBytes bytes. "Used" is the
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
export function pruneDiskCache(dir: string, limits: DiskCacheLimits, { keep, now = Date.now() }: { keep?: string; now?: number } = {}): string[] {
  let names: string[]
  try {
    names = fs.readdirSync(dir)
  } catch {
    return []
  }
  const removed: string[] = []
  const files: Array<{ file: string; bytes: number; used: number }> = []
  for (const name of names) {
    const file = path.join(dir, name)
    let stat: fs.Stats
    try {
      stat = fs.statSync(file)
    } catch {
      continue
    }
    if (!stat.isFile()) continue
    if (name.endsWith('.tmp')) {
      if (now - stat.mtimeMs > STALE_TMP_MS && remove(file)) removed.push(file)
      continue
    }
    files.push({ file, bytes: stat.size, used: Math.max(stat.atimeMs, stat.mtimeMs) })
  }
  files.sort((a, b) => a.used - b.used) // least recently used first
  let count = files.length
  let bytes = files.reduce((sum, f) => sum + f.bytes, 0)
  for (const f of files) {
    if (count <= limits.maxFiles && bytes <= limits.maxBytes) break
    if (f.file === keep) continue
    if (remove(f.file)) removed.push(f.file)
    count--
    bytes -= f.bytes
  }
  return removed
}

function remove(file: string): boolean {
  try {
    fs.unlinkSync(file)
    return true
  } catch {
    return false
  }
}
