// Importing an attendance sheet (citizens) into a session, with the roster import's rules
// (docs/decisions/009, 023): upload → read (CSV/XLSX, the upload limits) → every row checked by the
// form's schema, repeats inside the file and people already on the list reported by line → preview
// stored → the organiser confirms once: the status moves PREVIEW → DONE in the same transaction
// that adds the rows, so a second confirm (a double click, a resent form, two tabs) adds nothing.
import type { PrismaClient, TrainingImport } from '@prisma/client'
import { readUpload } from '~/modules/files/upload.server'
import { MAX_ROSTER_BYTES } from '~/modules/roster/constants'
import type { Actor } from '~/modules/scope/scope.server'
import { AppError } from '~/utils/errors'
import { personSortKey } from '~/utils/vietnamese-sort'
import { parseAttendanceRows, type AttendanceProblem } from './attendance-parse'
import type { CitizenForm } from './schema'
import { requireSession } from './service.server'

export const MAX_ATTENDANCE_BYTES = MAX_ROSTER_BYTES

export type ImportProblem = AttendanceProblem | { line: number; kind: 'already' }
export type ImportRow = CitizenForm & { line: number; key: string }

/** Column names as the message shows them, in Vietnamese (the sheet's own language). */
const COLUMN_NAMES = { fullName: 'Họ và tên', birthYear: 'Năm sinh', village: 'Thôn/bản', phone: 'Số điện thoại', gender: 'Giới tính', ethnicity: 'Dân tộc' } as const

export async function createAttendancePreview(db: PrismaClient, actor: Actor, { sessionId, fileName, bytes }: { sessionId: string; fileName: string; bytes: Uint8Array }): Promise<TrainingImport> {
  const session = await requireSession({ db, actor, sessionId })
  if (bytes.length > MAX_ATTENDANCE_BYTES) throw new AppError('TOO_LARGE', 'roster.tooLarge', { mb: MAX_ATTENDANCE_BYTES / 1024 / 1024 })
  const table = await readUpload(fileName, bytes)
  const [header, ...body] = table
  if (!header) throw new AppError('BAD_INPUT', 'roster.empty')
  const parsed = parseAttendanceRows(header.cells, body)
  if (!parsed.ok) throw new AppError('BAD_INPUT', 'training.missingColumns', { columns: parsed.missing.map((f) => COLUMN_NAMES[f]).join(', ') })
  const present = await db.trainingAttendee.findMany({ where: { sessionId: session.id, citizenKey: { in: parsed.rows.map((r) => r.key) } }, select: { citizenKey: true } })
  const known = new Set(present.map((p) => p.citizenKey))
  const problems: ImportProblem[] = [...parsed.problems]
  const rows: ImportRow[] = []
  for (const row of parsed.rows) {
    if (known.has(row.key)) problems.push({ line: row.line, kind: 'already' })
    else rows.push(row)
  }
  problems.sort((a, b) => a.line - b.line)
  return db.trainingImport.create({
    data: {
      sessionId: session.id,
      createdById: actor.id,
      fileName: fileName.slice(0, 200),
      totalRows: body.filter((r) => r.cells.some((c) => c.trim() !== '')).length,
      rows: rows as unknown as object[],
      problems: problems as unknown as object[],
    },
  })
}

/** An import of a session the actor may act on; the same 404 for another subtree's, a missing or a malformed id. */
export async function getAttendanceImport(db: PrismaClient, actor: Actor, { sessionId, importId }: { sessionId: string; importId: string }): Promise<TrainingImport> {
  const session = await requireSession({ db, actor, sessionId })
  const found = /^[0-9a-f-]{36}$/i.test(importId) ? await db.trainingImport.findUnique({ where: { id: importId } }) : null
  if (!found || found.sessionId !== session.id) throw new AppError('NOT_FOUND', 'training.importNotFound')
  return found
}

/**
 * Adds the previewed rows, exactly once: the one caller that moves PREVIEW → DONE adds them in the
 * same transaction; anyone else (a second confirm, after a cancel) gets 409 and nothing is added.
 * A person added by hand since the preview is skipped (the unique index), not doubled.
 */
export async function confirmAttendanceImport(db: PrismaClient, actor: Actor, ids: { sessionId: string; importId: string }): Promise<number> {
  const job = await getAttendanceImport(db, actor, ids)
  return db.$transaction(async (tx) => {
    const claimed = await tx.trainingImport.updateMany({ where: { id: job.id, status: 'PREVIEW' }, data: { status: 'DONE', finishedAt: new Date() } })
    if (claimed.count !== 1) throw new AppError('CONFLICT', 'training.importApplied')
    const rows = job.rows as unknown as ImportRow[]
    const written = await tx.trainingAttendee.createMany({
      data: rows.map((r) => ({ sessionId: job.sessionId, kind: 'CITIZEN' as const, fullName: r.fullName, birthYear: r.birthYear, village: r.village, phone: r.phone, gender: r.gender, ethnicity: r.ethnicity, citizenKey: r.key, sortKey: personSortKey(r.fullName) })),
      skipDuplicates: true,
    })
    await tx.trainingImport.update({ where: { id: job.id }, data: { insertedCount: written.count, rows: [] } })
    return written.count
  })
}

export async function cancelAttendanceImport(db: PrismaClient, actor: Actor, ids: { sessionId: string; importId: string }): Promise<void> {
  const job = await getAttendanceImport(db, actor, ids)
  const n = await db.trainingImport.updateMany({ where: { id: job.id, status: 'PREVIEW' }, data: { status: 'CANCELLED', finishedAt: new Date(), rows: [] } })
  if (n.count !== 1) throw new AppError('CONFLICT', 'training.importApplied')
}
