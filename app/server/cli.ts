// `npm run db:migrate` (apply pending migrations), `npm run db:seed` (migrate, then seed what
// is missing) and `npm run report:rebuild` (recompute the report counters from scratch and list
// any drift, docs/decisions/016; exit code 3 when something had drifted). All are safe to repeat.
import { rebuildReportCounters } from '~/modules/report/counters.server'
import { openDatabase } from '~/utils/db.server'
import { ConfigError, describeDatabase, parseEnv } from '~/utils/env.server'
import { migrate } from '~/utils/migrate.server'
import { boot } from './boot'

const command = process.argv[2]
if (command !== 'migrate' && command !== 'seed' && command !== 'report-rebuild') {
  process.stderr.write('Cách dùng: tsx app/server/cli.ts migrate|seed|report-rebuild\n')
  process.exit(2)
}
try {
  const env = parseEnv()
  console.log(`[db] ${describeDatabase(env)}`)
  if (command === 'seed') {
    await (await boot(env)).close()
  } else {
    const db = await openDatabase({ databaseUrl: env.DATABASE_URL, pgliteDataDir: env.PGLITE_DATA_DIR })
    try {
      const result = await migrate(db)
      console.log(`[db] ${result.applied.length} migration mới, ${result.alreadyApplied} đã có từ trước`)
      if (command === 'report-rebuild') {
        const rebuilt = await rebuildReportCounters(db.prisma)
        console.log(`[báo cáo] tính lại ${rebuilt.people} dòng cờ, ${rebuilt.counters} bộ đếm trong ${(rebuilt.ms / 1000).toFixed(1)} s`)
        if (rebuilt.drift.length === 0) console.log('[báo cáo] bộ đếm khớp với tính lại: không lệch')
        else {
          console.log(`[báo cáo] ${rebuilt.drift.length} số liệu đã lệch (đã sửa):`)
          for (const d of rebuilt.drift.slice(0, 50))
            console.log(`  ${d.agencyCode}\tkhoá ${d.courseId}\t${d.figure}: lưu ${d.stored}, tính lại ${d.recomputed}`)
          process.exitCode = 3
        }
      }
    } finally {
      await db.close()
    }
  }
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.problems.join('\n') : (error as Error).message}\n`)
  process.exit(1)
}
