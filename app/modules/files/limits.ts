// The limits every uploaded file is read under (docs/decisions/017). A file over any of them is
// refused at once with a message (413), before anything is written. Each feature may lower them.

export interface UploadLimits {
  /** Bytes of the file as uploaded. */
  maxBytes: number
  /** Entries in a ZIP (XLSX) file's central directory. */
  maxEntries: number
  /** Inflated bytes of one ZIP entry that is read. */
  maxEntryBytes: number
  /** Inflated bytes of all the entries read, together. */
  maxTotalBytes: number
  /** Inflated ÷ compressed size of an entry, checked once it has inflated past ratioFloorBytes. */
  maxRatio: number
  ratioFloorBytes: number
  /** Non-empty rows of the table (the header included). */
  maxRows: number
  /** Columns of a row that hold a value. */
  maxColumns: number
  /** Strings in an XLSX's shared-strings table, and their characters together. */
  maxSharedStrings: number
  maxSharedChars: number
  /** How deep XML elements may nest (SpreadsheetML needs about 6). */
  maxXmlDepth: number
}

const MB = 1024 * 1024

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  maxBytes: 5 * MB,
  maxEntries: 2000,
  maxEntryBytes: 48 * MB,
  maxTotalBytes: 80 * MB,
  maxRatio: 150,
  ratioFloorBytes: 1 * MB,
  maxRows: 20_001,
  maxColumns: 256,
  maxSharedStrings: 500_000,
  maxSharedChars: 16_000_000,
  maxXmlDepth: 32,
}

/** Which limit a file went over, for the message and for tests. */
export type UploadLimit = 'bytes' | 'entries' | 'entryBytes' | 'totalBytes' | 'ratio' | 'rows' | 'columns' | 'sharedStrings' | 'depth'
