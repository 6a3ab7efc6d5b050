import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { pruneDiskCache, touchCached } from './disk-cache.server'

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
  it('keeps at most maxFiles, removing the least recently used first', () => {
    const dir = folder(6)
    touchCached(path.join(dir, 'a0.zip')) // just read: now the newest
    pruneDiskCache(dir, { maxFiles: 3, maxBytes: 1e9 })
    expect(left(dir)).toEqual(['a0.zip', 'a4.zip', 'a5.zip'])
  })

  it('keeps at most maxBytes', () => {
    const dir = folder(5, 100)
    pruneDiskCache(dir, { maxFiles: 100, maxBytes: 250 })
    expect(left(dir)).toEqual(['a3.zip', 'a4.zip'])
  })

  it('never removes the file just written, even when it alone is over the limit', () => {
    const dir = folder(3, 100)
    const keep = path.join(dir, 'a0.zip')
    pruneDiskCache(dir, { maxFiles: 1, maxBytes: 50 }, { keep })
    expect(left(dir)).toEqual(['a0.zip'])
  })

  it('removes temporary files left by a crash, not ones being written', () => {
    const dir = folder(1)
    fs.writeFileSync(path.join(dir, 'old.zip.1.tmp'), 'x')
    const old = new Date(Date.now() - 2 * 3_600_000)
    fs.utimesSync(path.join(dir, 'old.zip.1.tmp'), old, old)
    fs.writeFileSync(path.join(dir, 'new.zip.2.tmp'), 'x')
    pruneDiskCache(dir, { maxFiles: 10, maxBytes: 1e9 })
    expect(left(dir)).toEqual(['a0.zip', 'new.zip.2.tmp'])
  })

  it('is fine with a folder that does not exist yet', () => {
    expect(pruneDiskCache(path.join(os.tmpdir(), 'banso-no-such-folder-x'), { maxFiles: 1, maxBytes: 1 })).toEqual([])
  })
})
