// The second half of the HTTP fuzz of every POST route (reliability-fuzz.test.ts runs the routes at
// even positions, this file the odd ones, each with a server and database of its own), so the
// two halves of a multi-minute battery run in parallel Vitest workers. Entries go in
// reliability-fuzz.test.ts.
const part = globalThis as { __bansoFuzzPart?: number }
part.__bansoFuzzPart = 1
await import('./reliability-fuzz.test')

export {}
