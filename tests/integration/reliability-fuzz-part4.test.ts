// Part 4 of 4 of the HTTP fuzz of every POST route: reliability-fuzz.test.ts runs the routes at
// positions 0 mod 4, this file those at 3 mod 4, each part with a server and database of its
// own, so the four quarters of a multi-minute battery run in parallel Vitest workers. Entries go in
// reliability-fuzz.test.ts.
const part = globalThis as { __bansoFuzzPart?: number }
part.__bansoFuzzPart = 3
await import('./reliability-fuzz.test')

export {}
