// Content reload at run time (docs/decisions/025, amendment "content reload"). Whoever reloads —
// the admin page (app/routes/admin.content.tsx) or `npm run content:reload` — reads content/ again,
// validates and compiles all of it (through the compile cache), and only then, in one transaction,
// mirrors it into the database and bumps the content version row: a broken tree is refused before
// anything changes, and a good one is in the database whole. Every server process then adopts the
// version: told by NOTIFY on PostgreSQL (a dedicated direct connection, db.listen), and in any case
// by reading the version row every CONTENT_CHECK_SECONDS (missed notifications, reconnects, PGlite).
// Adopting is preparing the same tree from the same files: compiled bundles come from the shared
// disk cache (CONTENT_CACHE_DIR) the reloader has just filled, or from memory for unchanged files,
// so no process compiles again what another compiled. The new store replaces the old one in one
// assignment (setContentStore), which changes the content version every cache is keyed by.
import type { PrismaClient } from '@prisma/client'
import { audit } from '~/modules/audit/service.server'
import { requireAdmin, type Actor } from '~/modules/auth/permissions.server'
import { singleton } from '~/utils/singleton.server'
import type { Database } from '~/utils/db.server'
import { keepOnlyCompiled } from './compile.server'
import { contentConfig, type ContentConfig } from './config.server'
import { publishContentTree, type MirrorChange, type MirrorResult } from './mirror.server'
import { ContentError, prepareContent, setContentStore, type ContentStore, type PrepareStats } from './service.server'
import { CONTENT_CHANNEL, readContentVersion, treeHash } from './version-row.server'

interface ReloadState {
  /** The database content version this process serves (0: none yet). */
  version: number
  hash: string
  /** Every change of the process's store runs here, one at a time, so an older one never lands last. */
  queue: Promise<unknown>
  /** A version whose files this process does not have (yet): when to look again. */
  mismatch?: { version: number; retryAt: number }
}

const state = singleton<ReloadState>('content-reload', () => ({ version: 0, hash: '', queue: Promise.resolve() }))

function inQueue<T>(fn: () => Promise<T>): Promise<T> {
  const run = state.queue.then(fn)
  state.queue = run.catch(() => undefined)
  return run
}

/** The database content version this process serves, and the hash of its tree. */
export function servedContentVersion(): { version: number; hash: string } {
  return { version: state.version, hash: state.hash }
}

function adopt(store: ContentStore, version: number, hash: string): void {
  setContentStore(store)
  state.version = version
  state.hash = hash
  state.mismatch = undefined
  // Bundles of files no longer in the tree would otherwise stay in memory for every reload.
  keepOnlyCompiled(compiledOf(store))
}

function compiledOf(store: ContentStore) {
  const all = new Set<object>()
  for (const course of store.courses) {
    all.add(course.intro)
    for (const lesson of course.lessons) all.add(lesson.compiled)
  }
  return all
}

export interface PublishOutcome {
  store: ContentStore
  stats: PrepareStats
  mirror: MirrorResult
  changes: MirrorChange[]
  version: number
  bumped: boolean
  hash: string
}

/**
 * Start-up, and the reload itself: prepare (throws ContentError, nothing changed), then mirror and
 * bump in one transaction, then serve it. `expectHash`: the tree the person confirmed; if the files
 * changed since, refuse rather than publish something nobody saw.
 */
export function publishContent({
  prisma,
  config = contentConfig(),
  changedById = null,
  expectHash,
  alsoInTransaction,
}: {
  prisma: PrismaClient
  config?: ContentConfig
  changedById?: string | null
  expectHash?: string
  alsoInTransaction?: Parameters<typeof publishContentTree>[0]['alsoInTransaction']
}): Promise<PublishOutcome> {
  return inQueue(async () => {
    const { store, stats } = await prepareContent(config)
    const hash = treeHash(store.tree)
    if (expectHash !== undefined && expectHash !== hash) throw new ContentChangedError()
    const published = await publishContentTree({ prisma, tree: store.tree, changedById, alsoInTransaction })
    adopt(store, published.version, hash)
    return { store, stats, ...published, hash }
  })
}

/**
 * The admin page's reload: an administrator only, of the tree they previewed (its hash), with its
 * audit entry in the mirroring transaction. ContentError and ContentChangedError leave everything
 * as it was.
 */
export async function reloadByAdmin({ prisma, actor, hash, ip, config }: { prisma: PrismaClient; actor: Actor; hash: string; ip: string | null; config?: ContentConfig }): Promise<PublishOutcome> {
  requireAdmin(actor)
  return publishContent({
    prisma,
    config,
    changedById: actor.id,
    expectHash: hash,
    alsoInTransaction: (tx, published) =>
      audit(tx, {
        action: 'content.reload',
        actorId: actor.id,
        targetType: 'content_version',
        targetId: String(published.version),
        ip,
        details: { ...published.mirror, bumped: published.bumped, hash },
      }),
  })
}

/** The files changed between the confirmation and the reload. */
export class ContentChangedError extends Error {
  constructor() {
    super('Nội dung trong thư mục đã thay đổi sau khi bạn xem trước: hãy xem trước lại rồi xác nhận.')
    this.name = 'ContentChangedError'
  }
}

export type PreviewResult =
  | { ok: true; hash: string; changes: MirrorChange[]; mirror: MirrorResult; courses: number; lessons: number; version: number; served: number; sameAsServed: boolean }
  | { ok: false; error: ContentError }

/** What a reload would do now, written nowhere (the compile cache is warmed, which is harmless). */
export async function previewReload({ prisma, config = contentConfig() }: { prisma: PrismaClient; config?: ContentConfig }): Promise<PreviewResult> {
  let prepared: Awaited<ReturnType<typeof prepareContent>>
  try {
    prepared = await prepareContent(config)
  } catch (error) {
    if (error instanceof ContentError) return { ok: false, error }
    throw error
  }
  const hash = treeHash(prepared.store.tree)
  const dry = await publishContentTree({ prisma, tree: prepared.store.tree, dryRun: true })
  return {
    ok: true,
    hash,
    changes: dry.changes,
    mirror: dry.mirror,
    courses: prepared.stats.courses,
    lessons: prepared.stats.lessons,
    version: dry.version,
    served: state.version,
    sameAsServed: hash === state.hash,
  }
}

// ─── Following the version row ───

export interface ContentWatcher {
  /** Looks at the version row now (what a notification or the timer does). */
  check(): Promise<void>
  stop(): Promise<void>
}

/**
 * Keeps this process on the database's content version: a NOTIFY (PostgreSQL) or the timer
 * (every `checkMs`) makes it read the row, and a newer version is prepared from this process's
 * content folder and served. If this process's files are not that version's (another release is
 * still being copied here), it keeps what it serves, says so, and looks again after `mismatchRetryMs`.
 */
export async function startContentWatcher({
  db,
  config = contentConfig(),
  checkMs,
  mismatchRetryMs = 30_000,
  log = console.log,
  warn = console.warn,
}: {
  db: Database
  config?: ContentConfig
  checkMs: number
  mismatchRetryMs?: number
  log?: (line: string) => void
  warn?: (line: string) => void
}): Promise<ContentWatcher> {
  let stopped = false
  const checkNow = () =>
    inQueue(async () => {
      if (stopped) return
      const row = await readContentVersion(db.prisma)
      if (!row || row.version <= state.version) return
      if (state.mismatch && state.mismatch.version === row.version && Date.now() < state.mismatch.retryAt) return
      const started = Date.now()
      let prepared: Awaited<ReturnType<typeof prepareContent>>
      try {
        prepared = await prepareContent(config)
      } catch (error) {
        state.mismatch = { version: row.version, retryAt: Date.now() + mismatchRetryMs }
        warn(`[content] không nạp được phiên bản nội dung ${row.version}: ${(error as Error).message}; vẫn phục vụ phiên bản ${state.version}.`)
        return
      }
      const hash = treeHash(prepared.store.tree)
      if (hash !== row.contentHash) {
        state.mismatch = { version: row.version, retryAt: Date.now() + mismatchRetryMs }
        warn(
          `[content] phiên bản nội dung ${row.version} trong cơ sở dữ liệu khác nội dung trong ${config.contentDir} của tiến trình này (${hash} ≠ ${row.contentHash}): vẫn phục vụ phiên bản ${state.version}, thử lại sau ${Math.round(mismatchRetryMs / 1000)} giây.`,
        )
        return
      }
      adopt(prepared.store, row.version, hash)
      log(`[content] đã nạp phiên bản nội dung ${row.version} (${prepared.stats.courses} khoá, ${prepared.stats.lessons} bài, biên dịch ${prepared.stats.compiles} tệp, ${Date.now() - started} ms)`)
    })
  // Checks do not pile up: one runs; anything asked meanwhile makes it run once more after (a
  // notification may be for a version newer than the one the running check read).
  let running: Promise<void> | null = null
  let again = false
  const check = (): Promise<void> => {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      do {
        again = false
        await checkNow().catch((error: unknown) => warn(`[content] không đọc được phiên bản nội dung: ${(error as Error).message}`))
      } while (again && !stopped)
    })().finally(() => {
      running = null
    })
    return running
  }
  const timer = setInterval(() => void check(), checkMs)
  timer.unref()
  // Without the LISTEN connection (refused at start), the timer alone keeps the process in step.
  const listener = await db.listen(CONTENT_CHANNEL, () => void check(), { onReconnect: () => void check(), warn }).catch((error: Error) => {
    warn(`[content] không mở được kết nối LISTEN (${error.message}): chỉ đọc phiên bản nội dung mỗi ${Math.round(checkMs / 1000)} giây.`)
    return null
  })
  return {
    check,
    async stop() {
      stopped = true
      clearInterval(timer)
      await listener?.close()
      await running
    },
  }
}
