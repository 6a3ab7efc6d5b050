// The order Vitest starts the test files in (vitest.config.ts). Three files run at a time, so the
// run ends when its last long file does: the longest files start first, across both projects
// (Vitest's own order runs every integration file before any unit file, whatever their length,
// and on a fresh clone, with no timings cached, keeps the folder order, which put the two-minute
// HTTP fuzz and the launcher tests last). The length is the file's time in the last run (Vitest's
// cache), else the estimate below, else its size; a file that failed last time still goes first.
import fs from 'node:fs'
import path from 'node:path'
import { BaseSequencer, type TestSpecification } from 'vitest/node'

/**
 * Seconds each took in one run on the shared 2-core machine while busy (2026-12-02, 3 workers):
 * only their order matters, and only in a run with no cache (CI's fresh clone). A file not listed
 * is estimated from its size, at the rate the other integration files ran in that run.
 */
const ESTIMATE: Record<string, number> = {
  'tests/integration/startup.test.ts': 160,
  'tests/integration/boot.test.ts': 121,
  // The HTTP fuzz in four parts (282 s in two halves before the split, 2026-12-03).
  'tests/integration/reliability-fuzz.test.ts': 75,
  'tests/integration/reliability-fuzz-part2.test.ts': 70,
  'tests/integration/reliability-fuzz-part3.test.ts': 70,
  'tests/integration/reliability-fuzz-part4.test.ts': 70,
  'tests/integration/report-counters.test.ts': 88,
  'tests/integration/content-startup.test.ts': 57,
  'tests/integration/migrate.test.ts': 51,
  'app/modules/files/upload.server.test.ts': 47,
  'tests/integration/schema-parity.test.ts': 41,
  'tests/integration/schema-drift.test.ts': 32,
}

/** About 1.7 s per kB (certificates.test.ts: 27 kB, 46 s; auth-flow: 14 kB, 25 s). */
const SECONDS_PER_BYTE = 1 / 600

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root
    const length = new Map<TestSpecification, { failed: boolean; seconds: number }>()
    for (const file of files) {
      const relative = path.relative(root, file.moduleId)
      const cached = this.ctx.cache.getFileTestResults(`${file.project.name}:${relative}`)
      let seconds: number
      if (cached) seconds = cached.duration / 1000
      else if (ESTIMATE[relative] !== undefined) seconds = ESTIMATE[relative]
      else seconds = (this.ctx.cache.getFileStats(`${file.project.name}:${relative}`)?.size ?? safeSize(file.moduleId)) * SECONDS_PER_BYTE
      length.set(file, { failed: cached?.failed ?? false, seconds })
    }
    return [...files].sort((a, b) => {
      const x = length.get(a)!
      const y = length.get(b)!
      if (x.failed !== y.failed) return x.failed ? -1 : 1
      return y.seconds - x.seconds
    })
  }
}

function safeSize(file: string): number {
  try {
    return fs.statSync(file).size
  } catch {
    return 0
  }
}
