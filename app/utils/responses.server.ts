import { isAppError } from './errors'

/** Turns an expected domain error into the HTTP response the error page shows; rethrows others. */
export function throwAsResponse(error: unknown): never {
  if (isAppError(error)) {
    throw new Response(error.message, { status: error.status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  }
  throw error
}

/** A positive page number from ?page=, 1 when missing or bad. */
export function pageParam(url: URL, max = 10_000): number {
  const n = Number(url.searchParams.get('page'))
  return Number.isInteger(n) && n >= 1 && n <= max ? n : 1
}
