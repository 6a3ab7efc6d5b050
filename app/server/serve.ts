// The app's start once its environment is known (app/server/start.ts checks that first): the
// database, migrations, seed and content (boot), the build, the HTTP server, the background loops,
// and a clean stop on SIGINT/SIGTERM.
import type { Server } from 'node:http'
import { setDatabase, type Database } from '~/utils/db.server'
import { describeDatabase, type Env } from '~/utils/env.server'
import { pruneSessions } from '~/modules/auth/maintenance.server'
import { startReportClock } from '~/modules/report/counters.server'
import { reportJobs } from '~/modules/report/refresh.server'
import { startJobRunner } from '~/modules/jobs/runner.server'
import { reminderJobs, scheduleDailyReminders } from '~/modules/reminders/service.server'
import { xapiJobs } from '~/modules/xapi/service.server'
import { startContentWatcher } from '~/modules/content/reload.server'
import { boot } from './boot'
import { buildState, runBuild } from './build-check'
import { createHttpApp } from './http'

export async function serve(env: Env, { dev, deployed, root }: { dev: boolean; deployed: boolean; root: string }): Promise<void> {
  // The database first: a bad DATABASE_URL or data folder is reported before minutes of building.
  console.log(`[db] ${describeDatabase(env)}`)
  const db: Database = await boot(env)
  setDatabase(db)
  if (!dev) {
    const state = buildState(root)
    if (state === 'missing' || (state === 'stale' && !deployed)) {
      console.log(state === 'missing' ? '[build] chưa có bản build, đang build…' : '[build] mã nguồn đã đổi, đang build lại…')
      try {
        runBuild(root)
      } catch (error) {
        await db.close()
        throw error
      }
    }
  }

  const vite = dev
    ? await (await import('vite')).createServer({ server: { middlewareMode: true }, appType: 'custom' })
    : undefined
  const app = await createHttpApp({
    env,
    build: vite ? { kind: 'development', vite } : { kind: 'production', buildDir: `${root}/build` },
  })

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(env.PORT, env.HOST, () => resolve(s))
    s.once('error', reject)
  }).catch(async (error: NodeJS.ErrnoException) => {
    await db.close()
    if (error.code === 'EADDRINUSE') throw new Error(`cổng ${env.PORT} đang được dùng. Đặt PORT khác.`)
    throw error
  })
  const shownHost = env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST
  console.log(`Bản Số đang chạy tại http://${shownHost}:${env.PORT} (${dev ? 'phát triển' : 'production build'})`)

  // Expired sessions and old sign-in attempts are deleted at start and then every hour.
  const pruning = setInterval(() => {
    pruneSessions(db.prisma, env).catch((error: unknown) => console.error('[auth] dọn phiên hết hạn thất bại:', error))
  }, 60 * 60_000)
  pruning.unref()
  // The report counters' expiry job: at start, then every minute (docs/decisions/016).
  const stopReportClock = startReportClock(db.prisma, (error: unknown) => console.error('[report] cập nhật chứng chỉ hết hạn thất bại:', error))
  // Background jobs: the daily reminders and their emails (docs/decisions/022), xAPI statements (026), large report
  // counter refreshes (016). Every process runs
  // the same loop; the job table hands each job to one of them.
  const jobs = env.JOBS_ENABLED
    ? startJobRunner(db.prisma, { ...reminderJobs(() => env), ...xapiJobs(() => env), ...reportJobs() }, {
        intervalMs: env.JOBS_INTERVAL_SECONDS * 1000,
        beforeRound: async (now) => {
          await scheduleDailyReminders(db.prisma, now, env.REMINDERS_HOUR)
        },
        onError: (error: unknown) => console.error('[jobs] công việc nền thất bại:', error),
      })
    : null

  // A content reload made by another process (or `npm run content:reload`) reaches this one:
  // NOTIFY on PostgreSQL, and the version row read every CONTENT_CHECK_SECONDS (docs/decisions/025).
  const contentWatch = await startContentWatcher({ db, checkMs: env.CONTENT_CHECK_SECONDS * 1000 })

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    clearInterval(pruning)
    stopReportClock()
    await jobs?.stop()
    await contentWatch.stop()
    console.log(`[server] nhận ${signal}, đang dừng…`)
    server.closeAllConnections?.()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await vite?.close()
    // PGlite writes its files on close: stopping cleanly keeps the data.
    await db.close()
    setDatabase(undefined)
    console.log('[server] đã dừng')
    process.exit(0)
  }
  process.once('SIGINT', () => void stop('SIGINT'))
  process.once('SIGTERM', () => void stop('SIGTERM'))
}

