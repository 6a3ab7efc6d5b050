// What a person reads when a file is over a limit: what was too big, and what to do about it.
// Message keys with parameters (app/locales/{vi,en}/errors.ts), formatted in the reader's language.
import { AppError, type ErrorKey, type ErrorParams } from '~/utils/errors'
import type { UploadLimit, UploadLimits } from './limits'

const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10

export function limitMessage(limit: UploadLimit, limits: UploadLimits): { key: ErrorKey; params: ErrorParams } {
  switch (limit) {
    case 'bytes':
      return { key: 'upload.bytes', params: { mb: mb(limits.maxBytes) } }
    case 'entries':
      return { key: 'upload.entries', params: { count: limits.maxEntries } }
    case 'entryBytes':
    case 'totalBytes':
      return { key: 'upload.inflated', params: { mb: mb(limit === 'entryBytes' ? limits.maxEntryBytes : limits.maxTotalBytes) } }
    case 'ratio':
      return { key: 'upload.ratio', params: { count: limits.maxRatio } }
    case 'rows':
      return { key: 'upload.rows', params: { count: limits.maxRows - 1 } }
    case 'columns':
      return { key: 'upload.columns', params: { count: limits.maxColumns } }
    case 'sharedStrings':
      return { key: 'upload.sharedStrings', params: { count: limits.maxSharedStrings, chars: limits.maxSharedChars } }
    case 'depth':
      return { key: 'upload.depth', params: {} }
  }
}

/** The error for a file over a limit: 413, except a malformed structure (400). */
export function limitError(limit: UploadLimit, limits: UploadLimits): AppError {
  const { key, params } = limitMessage(limit, limits)
  return new AppError(limit === 'depth' ? 'BAD_INPUT' : 'TOO_LARGE', key, params, { limit })
}
