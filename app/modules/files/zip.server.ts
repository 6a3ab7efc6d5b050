// Reading a ZIP (the container of an XLSX) without trusting it: the central directory is read
// first (entry count checked before anything is inflated), and an entry is inflated as a stream
// (node:zlib, off the main thread) in chunks of at most 16 KB, counting every inflated byte
// against the limits, so a "bomb" is stopped at the first chunk past a limit and never held whole.
import { createInflateRaw } from 'node:zlib'
import { AppError } from '~/utils/errors'
import type { UploadLimits } from './limits'
import { limitError } from './messages'

export interface ZipEntry {
  name: string
  method: number
  compressedSize: number
  declaredSize: number
  dataStart: number
}

export interface ZipArchive {
  entries: Map<string, ZipEntry>
  /** Inflated bytes read so far from all entries (checked against maxTotalBytes). */
  inflated: number
}

const broken = () => new AppError('BAD_INPUT', 'sheet.badXlsx')

/** The central directory of a ZIP held in memory. Refuses ZIP64, encryption, and too many entries. */
export function openZip(bytes: Uint8Array, limits: UploadLimits): ZipArchive {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535 bytes, at the end.
  let eocd = -1
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw broken()
  const declaredCount = view.getUint16(eocd + 10, true)
  const cdSize = view.getUint32(eocd + 12, true)
  const cdOffset = view.getUint32(eocd + 16, true)
  if (declaredCount > limits.maxEntries) throw limitError('entries', limits)
  if (cdOffset + cdSize > eocd || cdOffset === 0xffffffff) throw broken()
  const entries = new Map<string, ZipEntry>()
  const decoder = new TextDecoder('utf-8')
  let count = 0
  // Every record is counted, whatever the end record says (a 16-bit count wraps past 65,535).
  for (let p = cdOffset; p < cdOffset + cdSize; ) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) throw broken()
    if (++count > limits.maxEntries) throw limitError('entries', limits)
    const flags = view.getUint16(p + 8, true)
    const method = view.getUint16(p + 10, true)
    const compressedSize = view.getUint32(p + 20, true)
    const declaredSize = view.getUint32(p + 24, true)
    const nameLength = view.getUint16(p + 28, true)
    const extraLength = view.getUint16(p + 30, true)
    const commentLength = view.getUint16(p + 32, true)
    const localOffset = view.getUint32(p + 42, true)
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLength)).replace(/\\/g, '/').replace(/^\/+/, '')
    p += 46 + nameLength + extraLength + commentLength
    if (flags & 1) throw new AppError('BAD_INPUT', 'upload.encrypted')
    if (localOffset + 30 > bytes.length || view.getUint32(localOffset, true) !== 0x04034b50) throw broken()
    const dataStart = localOffset + 30 + view.getUint16(localOffset + 26, true) + view.getUint16(localOffset + 28, true)
    if (dataStart + compressedSize > bytes.length) throw broken()
    // Part names are case-insensitive in Open Packaging; the first of a name wins.
    const key = name.toLowerCase()
    if (!entries.has(key)) entries.set(key, { name, method, compressedSize, declaredSize, dataStart })
  }
  return { entries, inflated: 0 }
}

export function findEntry(zip: ZipArchive, name: string): ZipEntry | undefined {
  return zip.entries.get(name.replace(/^\/+/, '').toLowerCase())
}

const CHUNK = 16 * 1024

/**
 * The inflated bytes of one entry, chunk by chunk. Stops (and throws the limit's 413) as soon as
 * the entry passes maxEntryBytes, the archive passes maxTotalBytes, or the entry's inflated size
 * passes maxRatio × the compressed bytes read so far (past ratioFloorBytes). `maxBytes` lowers the entry limit
 * for parts that are small in any real file (the workbook, its relationships).
 */
export async function* inflateEntry(bytes: Uint8Array, zip: ZipArchive, entry: ZipEntry, limits: UploadLimits, maxBytes = limits.maxEntryBytes): AsyncGenerator<Uint8Array> {
  if (entry.declaredSize > maxBytes) throw limitError('entryBytes', limits)
  const data = bytes.subarray(entry.dataStart, entry.dataStart + entry.compressedSize)
  let produced = 0
  // The ratio is taken against the compressed bytes consumed so far (zlib's bytesWritten), so a
  // bomb is stopped a few megabytes in, not once it has inflated to ratio × its whole size.
  const count = (n: number, consumed: number) => {
    produced += n
    zip.inflated += n
    if (produced > maxBytes) throw limitError('entryBytes', limits)
    if (zip.inflated > limits.maxTotalBytes) throw limitError('totalBytes', limits)
    if (produced > limits.ratioFloorBytes && produced > limits.maxRatio * Math.max(1, consumed)) throw limitError('ratio', limits)
  }
  if (entry.method === 0) {
    for (let start = 0; start < data.length; start += CHUNK) {
      const chunk = data.subarray(start, start + CHUNK)
      count(chunk.length, start + chunk.length)
      yield chunk
    }
    return
  }
  if (entry.method !== 8) throw new AppError('BAD_INPUT', 'upload.compression')
  const inflater = createInflateRaw({ chunkSize: CHUNK })
  inflater.end(data)
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      count(chunk.length, inflater.bytesWritten)
      yield chunk
    }
  } catch (error) {
    if (error instanceof AppError) throw error
    throw broken()
  } finally {
    inflater.destroy()
  }
}
