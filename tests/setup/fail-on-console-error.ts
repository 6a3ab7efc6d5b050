// A test that logs console.error fails (Epic Stack's setup-test-env idea): an error nobody
// expected is a bug. A test that expects one mocks console.error itself.
import { afterEach, beforeEach, vi } from 'vitest'

let spy: ReturnType<typeof vi.spyOn> | undefined

beforeEach(() => {
  spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    throw new Error(`console.error was called: ${args.map(String).join(' ')}`)
  })
})

afterEach(() => {
  spy?.mockRestore()
})
