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

/**
 * The request's form, or a 400 with a plain Vietnamese line when its body cannot be read as one
 * (a broken multipart body). Page routes get this from entry.server.tsx; resource routes use this.
 */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData()
  } catch {
    throw new Response('400 — Biểu mẫu gửi lên không đọc được; không có gì được ghi. (The form could not be read.)', {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    })
  }
}
