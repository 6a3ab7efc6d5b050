// `npm run db:migrate` (apply pending migrations), `npm run db:seed` (migrate, then seed what
// is missing) and `npm run report:rebuild` (recompute the report counters from scratch and list
// any drift, docs/decisions/016; exit code 3 when something had drifted) and `npm run content:reload`
// (content/ read, validated and published to every running process, docs/decisions/025; with
// --dry-run only what would change; exit code 1 with every problem when the content is refused).
// All are safe to repeat.
import { rebuildReportCounters } from '~/modules/report/counters.server'
import { reloadFromCli } from '~/modules/content/reload-cli.server'
import { DatabaseOpenError, openDatabase } from '~/utils/db.server'
import { ConfigError, describeDatabase, parseEnv } from '~/utils/env.server'
import { migrate } from '~/utils/migrate.server'
import { boot } from './boot'

const command = process.argv[2]
if (command !== 'migrate' && command !== 'seed' && command !== 'report-rebuild' && command !== 'content-reload') {
  process.stderr.write('Cách dùng: tsx app/server/cli.ts migrate|seed|report-rebuild|content-reload [--dry-run]\n')
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
      if (command === 'content-reload') process.exitCode = await reloadFromCli(db.prisma, { dryRun: process.argv.includes('--dry-run') })
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
  if (command === 'content-reload' && error instanceof DatabaseOpenError && !process.env.DATABASE_URL?.trim()) {
    process.stderr.write('Cơ sở dữ liệu nhúng (PGlite) chỉ mở được bởi một tiến trình: khi máy chủ đang chạy, hãy nạp lại nội dung ở trang Quản trị › Nội dung (/admin/content).\n')
  }
  process.exit(1)
}
