// The tar writer, read back by the system's own tar (GNU tar or bsdtar): names short and long,
// empty and block-sized files, Vietnamese names, bytes unchanged; names tar cannot hold are refused.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { strToU8 } from 'fflate'
import { afterAll, describe, expect, it } from 'vitest'
import { TarNameError, tarGzipSync, tarSync } from './tar'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-tar-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('tarGzipSync', () => {
  it('writes an archive the system tar lists and extracts byte for byte', () => {
    const long = `course/${'a'.repeat(90)}/${'b'.repeat(80)}.xml`
    const random = new Uint8Array(1500).map((_, i) => (i * 7919) % 256)
    const files: [string, Uint8Array][] = [
      ['course/course.xml', strToU8('<course url_name="v1"/>\n')],
      ['course/empty.txt', new Uint8Array(0)],
      ['course/block.bin', new Uint8Array(512).fill(65)],
      ['course/static/ảnh-ruộng.bin', random],
      [long, strToU8('dài')],
    ]
    const file = path.join(dir, 'a.tar.gz')
    fs.writeFileSync(file, tarGzipSync(files, new Date('2026-01-01T00:00:00Z')))
    const listed = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).trim().split('\n')
    expect(listed).toEqual(files.map(([n]) => n))
    const out = path.join(dir, 'out')
    fs.mkdirSync(out)
    execFileSync('tar', ['-xzf', file, '-C', out])
    for (const [name, bytes] of files) expect(new Uint8Array(fs.readFileSync(path.join(out, name))), name).toEqual(bytes)
    // Same files, same bytes (fixed times), so an archive can be cached and compared.
    expect(tarGzipSync(files, new Date('2026-01-01T00:00:00Z'))).toEqual(new Uint8Array(fs.readFileSync(file)))
  })

  it('ends with two zero blocks and pads each file to 512 bytes', () => {
    const tar = tarSync([['x.txt', strToU8('abc')]], new Date(0))
    expect(tar.length).toBe(512 * 4)
    expect(tar.slice(1024).every((b) => b === 0)).toBe(true)
  })

  it('refuses names it cannot hold rather than cutting them', () => {
    expect(() => tarSync([[`${'a'.repeat(300)}.xml`, new Uint8Array(0)]], new Date(0))).toThrow(TarNameError)
    expect(() => tarSync([['../etc/passwd', new Uint8Array(0)]], new Date(0))).toThrow(TarNameError)
    expect(() => tarSync([['/abs', new Uint8Array(0)]], new Date(0))).toThrow(TarNameError)
  })
})
