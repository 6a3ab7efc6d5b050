// A tar archive (POSIX ustar) of regular files, gzip-compressed: the format Open edX Studio imports.
// ustar is 512-byte blocks: a header per file (name, size, mode, time, checksum) then the bytes,
// padded to a block; two zero blocks end the archive. Folders are implied by the names (GNU tar,
// bsdtar and Python's tarfile — what Open edX uses — all create them). Names up to 255 bytes, split
// at a slash into prefix (155) and name (100); longer ones are refused, not truncated.
import { gzipSync, strToU8 } from 'fflate'

const BLOCK = 512

export class TarNameError extends Error {}

function splitName(name: string): { prefix: Uint8Array; name: Uint8Array } {
  const whole = strToU8(name)
  if (whole.length <= 100) return { prefix: new Uint8Array(0), name: whole }
  // The last slash that leaves at most 155 bytes before it and at most 100 after it.
  for (let i = Math.min(whole.length - 1, 155); i > 0; i--) {
    if (whole[i] === 0x2f && whole.length - i - 1 <= 100 && whole.length - i - 1 > 0) return { prefix: whole.slice(0, i), name: whole.slice(i + 1) }
  }
  throw new TarNameError(`tên tệp quá dài cho định dạng tar: ${name}`)
}

function octal(value: number, width: number): string {
  // width - 1 digits and a NUL, as ustar readers expect.
  return value.toString(8).padStart(width - 1, '0') + '\0'
}

function header(name: string, size: number, mtime: number): Uint8Array {
  if (name.startsWith('/') || name.split('/').includes('..')) throw new TarNameError(`tên tệp không hợp lệ trong tar: ${name}`)
  const h = new Uint8Array(BLOCK)
  const put = (offset: number, text: string | Uint8Array) => h.set(typeof text === 'string' ? strToU8(text) : text, offset)
  const parts = splitName(name)
  put(0, parts.name)
  put(100, octal(0o644, 8)) // mode
  put(108, octal(0, 8)) // uid
  put(116, octal(0, 8)) // gid
  put(124, octal(size, 12))
  put(136, octal(Math.floor(mtime / 1000), 12))
  put(148, '        ') // the checksum counts its own field as spaces
  h[156] = 0x30 // '0': a regular file
  put(257, 'ustar\0')
  put(263, '00')
  put(345, parts.prefix)
  let sum = 0
  for (const byte of h) sum += byte
  put(148, sum.toString(8).padStart(6, '0') + '\0 ')
  return h
}

/** The files, in the order given, as one tar archive. Sizes over 8 GiB are not needed here (and refused). */
export function tarSync(files: [name: string, bytes: Uint8Array][], mtime: Date): Uint8Array {
  let total = BLOCK * 2
  for (const [, bytes] of files) {
    if (bytes.length >= 8 ** 11) throw new TarNameError('tệp quá lớn cho định dạng tar')
    total += BLOCK + Math.ceil(bytes.length / BLOCK) * BLOCK
  }
  const out = new Uint8Array(total)
  let at = 0
  for (const [name, bytes] of files) {
    out.set(header(name, bytes.length, mtime.getTime()), at)
    at += BLOCK
    out.set(bytes, at)
    at += Math.ceil(bytes.length / BLOCK) * BLOCK
  }
  return out // the rest is zeros: the padding and the two closing blocks
}

/** tarSync, gzip-compressed with a fixed time in the gzip header: the same files give the same bytes. */
export function tarGzipSync(files: [name: string, bytes: Uint8Array][], mtime: Date): Uint8Array {
  return gzipSync(tarSync(files, mtime), { level: 9, mtime })
}
