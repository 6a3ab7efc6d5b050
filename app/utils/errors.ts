// One typed domain error for expected failures (Shelf's app/utils/error.ts idea). Routes turn it
// into a response with its status. It carries a message key (app/locales/{vi,en}/errors.ts) and its
// parameters, never a sentence: `message` is formatted in the language of the request being served
// (app/server/request-locale.server.ts), Vietnamese outside a request (logs, scripts, tests).
import { errors as en } from '~/locales/en/errors'
import { errors as vi, type ErrorKey } from '~/locales/vi/errors'

export type { ErrorKey }

export type AppErrorCode =
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'BAD_INPUT'
  | 'UNAVAILABLE'
  | 'TOO_LARGE'

const STATUS: Record<AppErrorCode, number> = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  CONFLICT: 409,
  BAD_INPUT: 400,
  UNAVAILABLE: 503,
  TOO_LARGE: 413,
}

type ErrorLocale = 'vi' | 'en'
const CATALOGS: Record<ErrorLocale, Record<ErrorKey, string>> = { vi, en }

/** A message inside another (a detail: why an answer was refused, each problem of a file), by key. */
export interface MessageRef {
  key: ErrorKey
  params?: ErrorParams
}
/** Parameters of a message: values, or messages formatted in the same language (a list: one a line). */
export type ErrorParams = Record<string, string | number | MessageRef | MessageRef[]>

/** The message of `key` in `locale`, its `{name}` placeholders filled (numbers as the locale writes them). */
export function formatError(key: ErrorKey, params: ErrorParams = {}, locale: ErrorLocale = 'vi'): string {
  const template = CATALOGS[locale][key] ?? key
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name]
    if (value === undefined) return whole
    if (typeof value === 'number') return new Intl.NumberFormat(locale).format(value)
    if (typeof value === 'string') return value
    return [value].flat().map((ref) => formatError(ref.key, ref.params, locale)).join('\n')
  })
}

/** The language of the request being served, if any (set per request by the HTTP server); else Vietnamese. */
export function currentLocale(): ErrorLocale {
  const locale = (globalThis as { __bansoRequestLocale?: () => string | undefined }).__bansoRequestLocale?.()
  return locale === 'en' ? 'en' : 'vi'
}

export class AppError extends Error {
  readonly status: number
  /** A form-field key (AppError.field) the route translates with its own messages, not an ErrorKey. */
  readonly field: boolean
  constructor(
    readonly code: AppErrorCode,
    readonly key: ErrorKey,
    readonly params: ErrorParams = {},
    readonly details?: Record<string, unknown>,
  ) {
    super(key)
    this.name = 'AppError'
    this.status = STATUS[code]
    this.field = false
    // Read in the reader's language wherever it is read (a route's error page, a form's alert).
    Object.defineProperty(this, 'message', { get: () => this.messageIn(currentLocale()), configurable: true, enumerable: false })
  }

  /** A bad form field, named by the form's own message key (the route shows it next to the field). */
  static field(key: string, details?: Record<string, unknown>): AppError {
    const error = new AppError('BAD_INPUT', key as ErrorKey, {}, details)
    ;(error as { field: boolean }).field = true
    return error
  }

  messageIn(locale: ErrorLocale): string {
    return this.field ? this.key : formatError(this.key, this.params, locale)
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError
}

/** Prisma's unique-constraint violation, without importing Prisma into shared code. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 'P2002'
}
