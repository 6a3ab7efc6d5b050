import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { diskCachePruned, noteCacheWrite, PRUNE_EVERY_WRITES, PRUNE_INTERVAL_MS, pruneDiskCache, touchCached } from './disk-cache.server'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

/** Files a0…a(n-1), each `bytes` long, a0 the oldest. */
function folder(n: number, bytes = 10): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-disk-cache-'))
  dirs.push(dir)
  for (let i = 0; i < n; i++) {
    const file = path.join(dir, `a${i}.zip`)
    fs.writeFileSync(file, Buffer.alloc(bytes))
    const t = new Date(Date.UTC(2026, 0, 1, 0, i))
    fs.utimesSync(file, t, t)
  }
  return dir
}
const left = (dir: string) => fs.readdirSync(dir).sort()

describe('pruneDiskCache', () => {
  it('keeps at most maxFiles, removing the least recently used first', async () => {
    const dir = folder(6)
    touchCached(path.join(dir, 'a0.zip')) // just read: now the newest
    await pruneDiskCache(dir, { maxFiles: 3, maxBytes: 1e9 })
    expect(left(dir)).toEqual(['a0.zip', 'a4.zip', 'a5.zip'])
  })

  it('keeps at most maxBytes', async () => {
    const dir = folder(5, 100)
    await pruneDiskCache(dir, { maxFiles: 100, maxBytes: 250 })
    expect(left(dir)).toEqual(['a3.zip', 'a4.zip'])
  })

  it('never removes the file just written, even when it alone is over the limit', async () => {
    const dir = folder(3, 100)
    const keep = path.join(dir, 'a0.zip')
    await pruneDiskCache(dir, { maxFiles: 1, maxBytes: 50 }, { keep })
    expect(left(dir)).toEqual(['a0.zip'])
  })

  it('removes temporary files left by a crash, not ones being written', async () => {
    const dir = folder(1)
    fs.writeFileSync(path.join(dir, 'old.zip.1.tmp'), 'x')
    const old = new Date(Date.now() - 2 * 3_600_000)
    fs.utimesSync(path.join(dir, 'old.zip.1.tmp'), old, old)
    fs.writeFileSync(path.join(dir, 'new.zip.2.tmp'), 'x')
    await pruneDiskCache(dir, { maxFiles: 10, maxBytes: 1e9 })
    expect(left(dir)).toEqual(['a0.zip', 'new.zip.2.tmp'])
  })

  it('is fine with a folder that does not exist yet', async () => {
    expect(await pruneDiskCache(path.join(os.tmpdir(), 'banso-no-such-folder-x'), { maxFiles: 1, maxBytes: 1 })).toEqual([])
  })

  it('does not hold the event loop on a large folder: timers run while it reads', async () => {
    const dir = folder(2000, 1)
    let ticks = 0
    const timer = setInterval(() => ticks++, 0)
    const removed = await pruneDiskCache(dir, { maxFiles: 10, maxBytes: 1e9 })
    clearInterval(timer)
    expect(removed).toHaveLength(1990)
    expect(ticks, 'the sync version let no timer run until it was done').toBeGreaterThan(0)
  })
})

describe('noteCacheWrite: asynchronous, throttled, one prune at a time, still bounded', () => {
  const limits = { maxFiles: 1000, maxBytes: 1e12 }
  const count = (dir: string) => fs.readdirSync(dir).length
  /** Writes one more file to `dir` and notes it, `now` ms into the test. */
  function write(dir: string, i: number, now: number) {
    const file = path.join(dir, `b${i}.zip`)
    fs.writeFileSync(file, 'x')
    return noteCacheWrite(dir, limits, { keep: file, bytes: 1, now })
  }

  it('prunes on the first write, then once every PRUNE_EVERY_WRITES writes, not after each', async () => {
    const dir = folder(1100, 1) // 100 over: left by an earlier process
    const t0 = 1_000_000_000
    expect(write(dir, 0, t0), 'the first write prunes').not.toBeNull()
    await diskCachePruned(dir)
    expect(count(dir)).toBe(1000)
    for (let i = 1; i < PRUNE_EVERY_WRITES; i++) expect(write(dir, i, t0 + i), `write ${i}`).toBeNull()
    expect(count(dir), 'over by the writes since the last prune, no more').toBe(1000 + PRUNE_EVERY_WRITES - 1)
    expect(write(dir, PRUNE_EVERY_WRITES, t0 + PRUNE_EVERY_WRITES)).not.toBeNull()
    await diskCachePruned(dir)
    expect(count(dir)).toBe(1000)
  })

  it('prunes after PRUNE_INTERVAL_MS even when few files are written', async () => {
    const dir = folder(1000, 1)
    const t0 = 2_000_000_000
    write(dir, 0, t0)
    await diskCachePruned(dir)
    expect(write(dir, 1, t0 + 1000)).toBeNull()
    expect(write(dir, 2, t0 + PRUNE_INTERVAL_MS + 1)).not.toBeNull()
    await diskCachePruned(dir)
    expect(count(dir)).toBe(1000)
  })

  it('runs at most one prune per folder: one due meanwhile runs once after it', async () => {
    const dir = folder(1000, 1)
    const small = { maxFiles: 5, maxBytes: 1e12 } // a prune after every write
    const notes = Array.from({ length: 20 }, (_, i) => {
      const file = path.join(dir, `c${i}.zip`)
      fs.writeFileSync(file, 'x')
      return noteCacheWrite(dir, small, { keep: file, now: 3_000_000_000 + i })
    })
    // All twenty writes joined the one prune that was running (which then ran once more).
    expect(new Set(notes).size).toBe(1)
    await diskCachePruned(dir)
    // The old files are gone; the twenty written during it are kept (one may be a pack not yet sent).
    expect(fs.readdirSync(dir).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `c${i}.zip`).sort())
    // The next write prunes to the limit, keeping the file just written.
    const last = path.join(dir, 'd.zip')
    fs.writeFileSync(last, 'x')
    await noteCacheWrite(dir, small, { keep: last, now: 3_000_000_100 })
    expect(count(dir)).toBe(5)
    expect(fs.existsSync(last)).toBe(true)
  })
})
