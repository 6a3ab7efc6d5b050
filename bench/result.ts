// One contract for every benchmark scenario, so `npm run bench` can run each scenario as its own
// process (a fresh heap, its own server) and collect the figures into one table.
//
// A scenario script prints whatever it likes for a human, and — as its LAST line on stdout — one
// line `BENCH_RESULT <json>`, where <json> is a BenchRow[]. Each row compares the product with an
// anchor measured in the same run (these machines are noisy; a ratio means more than a number).

export interface BenchRow {
  /** e.g. "lesson-throughput", "report", "mdx", "sign-in", "page-weight", "memory". */
  scenario: string
  /** What is measured, in words, e.g. "anonymous lesson, requests/s". */
  metric: string
  /** The product's figure. */
  product: number
  /** The anchor's figure measured in the same run (null when the row has no anchor). */
  anchor: number | null
  /** Unit of product and anchor, e.g. "req/s", "ms", "KB", "MB", "count". */
  unit: string
  /** product / anchor, or null. */
  ratio: number | null
  /** The target in words, e.g. "≥ 0.80 of anchor", "≤ 1.5× raw SQL + 20 ms", or null. */
  target: string | null
  /** Whether the target was met; null when there is no target. */
  pass: boolean | null
  /** Anything a reader needs to read the row right (anchor name, data-set size…). */
  note?: string
}

export const RESULT_PREFIX = 'BENCH_RESULT '

/** Prints the machine-readable last line. Call once, at the very end of a scenario. */
export function emitResults(rows: BenchRow[]): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(rows)}\n`)
}

/** Reads the rows back from a scenario's whole stdout (the runner's side). */
export function parseResults(stdout: string): BenchRow[] | null {
  const line = stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(RESULT_PREFIX))
  if (!line) return null
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as BenchRow[]
}
