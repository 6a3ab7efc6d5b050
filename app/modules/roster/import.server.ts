// Roster import: upload → parse and check → preview (stored) → the officer confirms → all valid
// rows are written in one transaction, or none (docs/decisions/009). Idempotent by staff code:
// re-importing the same file changes nothing. Imports are serialised by an advisory lock, so two
// confirmed at once (the same file twice, or one confirmed twice) cannot double-write.
import { createHash } from 'node:crypto'
import type { PrismaClient, RosterImport } from '@prisma/client'
import { agencyScope, inScope } from '~/modules/agency/admin.server'
import { audit } from '~/modules/audit/service.server'
import type { Actor } from '~/modules/auth/permissions.server'
import { readUpload } from '~/modules/files/upload.server'
import { AppError } from '~/utils/errors'
import { MAX_ROSTER_BYTES } from './constants'
import { staffKeys } from './keys'
import { proposeStaffLinksByEmail } from './link.server'
import { parseRosterRows, type RowError } from './parse'

const BATCH = 2000
/** Advisory-lock key of roster imports (any constant that no other feature uses). */
const IMPORT_LOCK = 80_260_001

export interface StoredRow {
  line: number
  staffCode: string
  fullName: string
  email: string | null
  agencyId: string
  jobTitle: string | null
}

/** Parses and checks a file, classifies its rows against the database, stores the preview. */
export async function createPreview(
  db: PrismaClient,
  actor: Actor,
  { fileName, bytes }: { fileName: string; bytes: Uint8Array },
): Promise<RosterImport> {
  const scope = await agencyScope(db, actor)
  if (bytes.length > MAX_ROSTER_BYTES) throw new AppError('BAD_INPUT', 'roster.tooLarge', { mb: MAX_ROSTER_BYTES / 1024 / 1024 })
  if (bytes.length === 0) throw new AppError('BAD_INPUT', 'roster.empty')
  const table = await readUpload(fileName, bytes)
  const parsed = parseRosterRows(table)
  const errors: RowError[] = [...parsed.errors]

  const codes = [...new Set(parsed.rows.map((r) => r.agencyCode))]
  const agencies = await db.$queryRaw<{ id: string; code: string; status: string; merged_into: string | null }[]>`
    SELECT a.id::text AS id, a.code, a.status::text AS status, m.name || ' (' || m.code || ')' AS merged_into
    FROM agency a LEFT JOIN agency m ON m.id = a.merged_into_id WHERE a.code = ANY(${codes}::text[])`
  const byCode = new Map(agencies.map((a) => [a.code, a]))
  const existing = await db.$queryRaw<{ staff_code: string; full_name: string; email: string | null; job_title: string | null; agency_id: string }[]>`
    SELECT staff_code, full_name, email, job_title, agency_id::text AS agency_id FROM staff_record
    WHERE staff_code = ANY(${parsed.rows.map((r) => r.staffCode)}::text[])`
  const current = new Map(existing.map((s) => [s.staff_code, s]))

  const rows: StoredRow[] = []
  let created = 0
  let updated = 0
  let unchanged = 0
  for (const row of parsed.rows) {
    const agency = byCode.get(row.agencyCode)
    if (!agency || agency.status === 'INACTIVE') {
      errors.push({ line: row.line, kind: 'unknownAgency', detail: row.agencyCode })
      continue
    }
    if (agency.status === 'MERGED') {
      errors.push({ line: row.line, kind: 'mergedAgency', detail: `${row.agencyCode} → ${agency.merged_into ?? ''}` })
      continue
    }
    const before = current.get(row.staffCode)
    // A manager may not put people outside their subtree, nor take a record from outside it.
    if (!inScope(scope, agency.id) || (before && !inScope(scope, before.agency_id))) {
      errors.push({ line: row.line, kind: 'outOfScope', detail: before && !inScope(scope, before.agency_id) ? row.staffCode : row.agencyCode })
      continue
    }
    rows.push({ line: row.line, staffCode: row.staffCode, fullName: row.fullName, email: row.email, agencyId: agency.id, jobTitle: row.jobTitle })
    if (!before) created++
    else if (before.full_name === row.fullName && before.email === row.email && before.job_title === row.jobTitle && before.agency_id === agency.id) unchanged++
    else updated++
  }
  errors.sort((a, b) => a.line - b.line || a.kind.localeCompare(b.kind))
  // Written as JSON text: Prisma's own Json input walks every value on the main thread (≈ 0.6 s
  // for 10,000 rows, a pause for every page of the process); JSON.stringify is ≈ 10 ms.
  const [stored] = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO roster_import (created_by_id, file_name, file_sha256, total_rows, new_count, updated_count, unchanged_count, error_count, errors, rows)
    VALUES (${actor.id}::uuid, ${fileName.slice(0, 200)}, ${createHash('sha256').update(bytes).digest('hex')}, ${parsed.total}, ${created}, ${updated},
      ${unchanged}, ${new Set(errors.map((e) => e.line)).size}, ${JSON.stringify(errors)}::jsonb, ${JSON.stringify(rows)}::jsonb)
    RETURNING id::text AS id`
  return db.rosterImport.findUniqueOrThrow({ where: { id: stored!.id } })
}

/** An import of the actor's own (admins see all); 404 otherwise. */
export async function getImport(db: PrismaClient, actor: Actor, id: string): Promise<RosterImport> {
  const found = /^[0-9a-f-]{36}$/.test(id) ? await db.rosterImport.findUnique({ where: { id } }) : null
  const admin = actor.roles.some((r) => r.role === 'ADMIN')
  if (!found || (!admin && found.createdById !== actor.id)) throw new AppError('NOT_FOUND', 'roster.importNotFound')
  return found
}

export async function recentImports(db: PrismaClient, actor: Actor) {
  return db.rosterImport.findMany({
    where: { createdById: actor.id },
    orderBy: { createdAt: 'desc' },
    take: 10,
    select: { id: true, fileName: true, status: true, createdAt: true, totalRows: true, errorCount: true },
  })
}

/**
 * Cancels an import: a preview (nothing was written), or one still "applying" — its transaction
 * then keeps nothing (it ends by moving APPLYING → DONE, which finds the status changed). Returns
 * false when there was nothing left to cancel (it finished, failed or was cancelled already).
 */
export async function cancelImport(db: PrismaClient, actor: Actor, id: string): Promise<boolean> {
  await getImport(db, actor, id)
  const n = await db.rosterImport.updateMany({
    where: { id, status: { in: ['PREVIEW', 'APPLYING'] } },
    data: { status: 'CANCELLED', rows: [], finishedAt: new Date(), processed: 0 },
  })
  return n.count === 1
}

/** How long a claimed import may go without holding its lock before a sweep calls it cut off. */
export const STUCK_AFTER_MS = 60_000

/**
 * Imports left "APPLYING" by a process that stopped (a restart, a crash) are marked FAILED with the
 * reason. A running import holds its own advisory lock for its whole transaction, in whichever
 * process runs it; one claimed less than `olderThanMs` ago may not have taken it yet. Nothing of a
 * cut-off import was kept (one transaction), so the officer just confirms the file again.
 */
export async function sweepStuckImports(db: PrismaClient, { id, olderThanMs = STUCK_AFTER_MS }: { id?: string; olderThanMs?: number } = {}): Promise<number> {
  const before = new Date(Date.now() - olderThanMs)
  const stuck = await db.rosterImport.findMany({
    where: { status: 'APPLYING', startedAt: { lte: before }, ...(id ? { id } : {}) },
    select: { id: true },
  })
  let swept = 0
  for (const job of stuck) {
    swept += await db.$transaction(async (tx) => {
      const [lock] = await tx.$queryRaw<{ free: boolean }[]>`SELECT pg_try_advisory_xact_lock(${IMPORT_LOCK}, hashtext(${job.id})) AS free`
      if (!lock?.free) return 0 // still running somewhere
      const n = await tx.rosterImport.updateMany({
        where: { id: job.id, status: 'APPLYING' },
        data: { status: 'FAILED', finishedAt: new Date(), processed: 0, message: 'interrupted' satisfies FailReason },
      })
      return n.count
    })
  }
  return swept
}

/**
 * Claims a previewed import for applying (only one caller wins: the status moves PREVIEW →
 * APPLYING in one conditional update) and returns the work to run, or null if it was claimed
 * already. The route runs the work in the background and shows the progress page.
 */
export async function claimImport(db: PrismaClient, actor: Actor, id: string, ip: string | null = null): Promise<(() => Promise<void>) | null> {
  await getImport(db, actor, id)
  const claimed = await db.rosterImport.updateMany({ where: { id, status: 'PREVIEW' }, data: { status: 'APPLYING', startedAt: new Date(), processed: 0 } })
  if (claimed.count !== 1) return null
  return () => runImport(db, actor, id, ip)
}

/**
 * Applies a claimed import: every valid row, the e-mail links, the audit line and the status DONE
 * are written in one transaction, or none of them. Everything inside it goes through `tx`: the
 * embedded database has one connection, which the transaction holds, so a query on the outer
 * client inside it would wait for itself (docs/decisions/014). For the same reason there is no
 * per-batch progress — it could only be seen by another connection; the page shows "đang ghi".
 */
async function runImport(db: PrismaClient, actor: Actor, id: string, ip: string | null): Promise<void> {
  try {
    const job = await db.rosterImport.findUniqueOrThrow({ where: { id } })
    const rows = job.rows as unknown as StoredRow[]
    const scope = await agencyScope(db, actor)
    await db.$transaction(
      async (tx) => {
        // This import's own lock first (the start-up sweep sees it is alive), then the one that
        // serialises imports.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${IMPORT_LOCK}, hashtext(${id}))`
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${IMPORT_LOCK})`
        // What the preview checked may have changed since: agencies merged or closed, records moved.
        const agencyIds = [...new Set(rows.map((r) => r.agencyId))]
        const inactive = await tx.agency.count({ where: { id: { in: agencyIds }, status: { not: 'ACTIVE' } } })
        if (inactive > 0) throw new ImportRefused('agencyChanged')
        if (scope.ids !== null) {
          const taken = await tx.staffRecord.count({
            where: { staffCode: { in: rows.map((r) => r.staffCode) }, agencyId: { notIn: [...scope.ids] } },
          })
          if (taken > 0) throw new ImportRefused('codeTaken')
        }
        let inserted = 0
        let changed = 0
        for (let start = 0; start < rows.length; start += BATCH) {
          const batch = rows.slice(start, start + BATCH)
          const keys = batch.map((r) => staffKeys(r))
          const written = await tx.$queryRaw<{ inserted: boolean }[]>`
            INSERT INTO staff_record (staff_code, full_name, email, job_title, agency_id, search_text, sort_key, updated_at)
            SELECT * , now() FROM unnest(
              ${batch.map((r) => r.staffCode)}::text[], ${batch.map((r) => r.fullName)}::text[], ${batch.map((r) => r.email)}::text[],
              ${batch.map((r) => r.jobTitle)}::text[], ${batch.map((r) => r.agencyId)}::uuid[],
              ${keys.map((k) => k.searchText)}::text[], ${keys.map((k) => k.sortKey)}::text[])
            ON CONFLICT (staff_code) DO UPDATE SET
              full_name = EXCLUDED.full_name, email = EXCLUDED.email, job_title = EXCLUDED.job_title, agency_id = EXCLUDED.agency_id,
              search_text = EXCLUDED.search_text, sort_key = EXCLUDED.sort_key, updated_at = now()
            WHERE (staff_record.full_name, staff_record.email, staff_record.job_title, staff_record.agency_id)
              IS DISTINCT FROM (EXCLUDED.full_name, EXCLUDED.email, EXCLUDED.job_title, EXCLUDED.agency_id)
            RETURNING (xmax = 0) AS inserted`
          inserted += written.filter((w) => w.inserted).length
          changed += written.filter((w) => !w.inserted).length
        }
        // Existing accounts are only PROPOSED a link: their owner (or an admin) confirms it.
        const proposed = await proposeStaffLinksByEmail(tx, { staffCodes: rows.map((r) => r.staffCode), proposedById: actor.id, scope })
        await audit(tx, {
          action: 'roster.import',
          actorId: actor.id,
          targetType: 'roster_import',
          targetId: id,
          ip,
          details: { file: job.fileName, inserted, updated: changed, proposed },
        })
        // DONE with the rows it reports, in the same transaction; if the officer cancelled (or a
        // sweep failed it) meanwhile, nothing of it is kept.
        const done = await tx.rosterImport.updateMany({
          where: { id, status: 'APPLYING' },
          data: {
            status: 'DONE',
            finishedAt: new Date(),
            processed: rows.length,
            newCount: inserted,
            updatedCount: changed,
            unchangedCount: rows.length - inserted - changed,
            rows: [],
          },
        })
        if (done.count !== 1) throw new ImportStopped()
      },
      { timeout: 10 * 60_000, maxWait: 60_000 },
    )
  } catch (error) {
    if (error instanceof ImportStopped) return
    if (!(error instanceof ImportRefused)) console.error('[roster] nhập danh sách thất bại:', error)
    const message: FailReason = error instanceof ImportRefused ? error.reason : 'serverError'
    await db.rosterImport.updateMany({ where: { id, status: 'APPLYING' }, data: { status: 'FAILED', finishedAt: new Date(), message, processed: 0 } })
  }
}

/**
 * Why applying failed, stored in `message` and shown in the reader's language
 * (reports.import.failReasons).
 */
export type FailReason = 'agencyChanged' | 'codeTaken' | 'serverError' | 'interrupted'

/** What the preview checked no longer holds: nothing is written, the officer uploads again. */
class ImportRefused extends Error {
  constructor(readonly reason: FailReason) {
    super(reason)
  }
}

/** The import was cancelled or swept while it ran: its transaction is rolled back, its status stays. */
class ImportStopped extends Error {}

/** Imports a file all the way (preview, confirm, apply), for scripts and tests. */
export async function importRosterFile(db: PrismaClient, actor: Actor, file: { fileName: string; bytes: Uint8Array }) {
  const preview = await createPreview(db, actor, file)
  const run = await claimImport(db, actor, preview.id)
  await run?.()
  return db.rosterImport.findUniqueOrThrow({ where: { id: preview.id } })
}
