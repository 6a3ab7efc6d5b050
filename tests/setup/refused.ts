// The shared assertion of the domain tests: the promise is refused with this AppError code (and key).
import { expect } from 'vitest'
import { isAppError } from '~/utils/errors'

export async function refusedWith(promise: Promise<unknown>, code: string, key?: string): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(isAppError(error), `expected an AppError ${code}, got ${String(error)}`).toBe(true)
  if (isAppError(error)) {
    expect(error.code).toBe(code)
    if (key) expect(error.key).toBe(key)
  }
}
