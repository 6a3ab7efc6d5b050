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
 * Seconds each took in one run on the shared 2-core machine while busy (2026-12-07, 3 workers,
 * load average about 10): only their order matters, and only in a run with no cache (CI's fresh
 * clone). A file not listed is estimated from its size, at the rate the other integration files
 * ran in that run.
 */
const ESTIMATE: Record<string, number> = {
  'tests/integration/reliability-fuzz-part3.test.ts': 55,
  'tests/integration/startup.test.ts': 49,
  'tests/integration/boot.test.ts': 46,
  'tests/integration/two-processes.test.ts': 41,
  'tests/integration/reliability-fuzz-part2.test.ts': 38,
  'tests/integration/reliability-fuzz.test.ts': 34,
  'tests/integration/reliability-fuzz-part4.test.ts': 30,
  'tests/integration/learning.test.ts': 28,
  'tests/integration/certificates.test.ts': 23,
  'tests/integration/reliability-idor.test.ts': 23,
  'tests/integration/oidc.test.ts': 23,
  'tests/integration/takeover.test.ts': 22,
  'tests/integration/report-counters.test.ts': 21,
  'tests/integration/report-pages.test.ts': 20,
  'tests/integration/content-startup.test.ts': 16,
  'app/modules/files/upload.server.test.ts': 15,
}

/** About 0.94 s per kB: the integration files of that run, their time over their size. */
const SECONDS_PER_BYTE = 0.94 / 1000

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
