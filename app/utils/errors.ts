// One typed domain error for expected failures (Shelf's app/utils/error.ts idea). Routes turn it
// into a response with its status; the message is for the person, in their language.
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

export class AppError extends Error {
  readonly status: number
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
    this.name = 'AppError'
    this.status = STATUS[code]
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError
}

/** Prisma's unique-constraint violation, without importing Prisma into shared code. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 'P2002'
}
