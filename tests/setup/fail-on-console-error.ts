// A test that logs console.error fails (Epic Stack's setup-test-env idea): an error nobody
// expected is a bug. A test that expects one mocks console.error itself
// (vi.spyOn(console, 'error').mockImplementation(…)).
//
// The calls are recorded, not thrown at the caller: a throw inside the code under test would
// change what that code does (a catch block that logs would then fail differently), and a throw
// inside an event handler would surface as an unhandled error attributed to whatever test runs at
// that moment. Calls are checked after each test (the test and its beforeEach/afterEach hooks)
// and after the file (afterAll hooks, work still running when the last test ended). Unhandled
// errors and rejections, during or after a test, fail the run through Vitest itself
// (dangerouslyIgnoreUnhandledErrors stays off).
import { afterAll, afterEach, beforeEach, expect } from 'vitest'

// The console's own error, kept across test files that share a process (the setup runs before each).
const shared = globalThis as { __bansoConsoleError?: typeof console.error }
shared.__bansoConsoleError ??= console.error.bind(console)
const original = shared.__bansoConsoleError
let calls: { args: unknown[]; where: string }[] = []
let where = 'before the first test'

function recorder(...args: unknown[]): void {
  calls.push({ args, where })
  original('[fail-on-console-error]', ...args)
}

function describeArg(arg: unknown): string {
  if (arg instanceof Error) return arg.stack ?? arg.message
  return typeof arg === 'string' ? arg : String(arg)
}

function takeFailure(): Error | undefined {
  if (calls.length === 0) return undefined
  const lines = calls.map((c) => `console.error was called (${c.where}): ${c.args.map(describeArg).join(' ')}`)
  calls = []
  return new Error(lines.join('\n'))
}

console.error = recorder

beforeEach(() => {
  // A test that restored its own spy (mockRestore) gets the recorder back, not the raw console.
  if (console.error !== recorder) console.error = recorder
  where = `in "${expect.getState().currentTestName ?? '?'}"`
  // Anything logged between two tests belongs to the one before (its background work).
  const pending = takeFailure()
  if (pending) throw pending
})

afterEach(() => {
  const failure = takeFailure()
  where = 'after a test, between tests or in afterAll'
  if (failure) throw failure
})

afterAll(() => {
  const failure = takeFailure()
  console.error = original
  if (failure) throw failure
})
