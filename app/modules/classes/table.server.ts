// The teacher's table: students × assigned lessons (done or not, when) and, for a whole course,
// the best final-quiz score. Exported as CSV (UTF-8 with BOM, for Excel) and XLSX (exceljs).
import type { PrismaClient } from '@prisma/client'
import { prisma as defaultPrisma } from '~/utils/db.server'

export interface TableColumn {
  key: string
  kind: 'lesson' | 'quiz'
  courseSlug: string
  courseTitle: string
  /** For a lesson column; the final quiz column has none. */
  lessonSlug?: string
  title: string
  dueAt: Date | null
  assignmentId: string
}

export interface TableRow {
  userId: string
  fullName: string
  /** How the student signs in: with a PIN in this class, or with their own account. */
  withPin: boolean
  contact: string | null
  cells: Record<string, { done: boolean; at: Date | null; score: number | null; passed: boolean | null }>
  doneCount: number
}

export interface ClassTable {
  assignments: { id: string; courseSlug: string; courseTitle: string; lessonTitle: string | null; dueAt: Date | null }[]
  columns: TableColumn[]
  rows: TableRow[]
  lessonColumns: number
}

export async function classTable({ classId }: { classId: string }, db: PrismaClient = defaultPrisma()): Promise<ClassTable> {
  const assignments = await db.classAssignment.findMany({
    where: { classId },
    orderBy: [{ createdAt: 'asc' }],
    select: {
      id: true,
      dueAt: true,
      lessonId: true,
      course: { select: { id: true, slug: true, title: true, lessons: { where: { retiredAt: null }, orderBy: { position: 'asc' }, select: { id: true, slug: true, title: true } } } },
      lesson: { select: { id: true, slug: true, title: true } },
    },
  })
  const columns: TableColumn[] = []
  const lessonKeys = new Map<string, string>()
  const quizCourses = new Map<string, string>()
  for (const a of assignments) {
    const lessons = a.lesson ? [a.lesson] : a.course.lessons
    for (const l of lessons) {
      const key = `l:${l.id}`
      if (lessonKeys.has(l.id)) continue
      lessonKeys.set(l.id, key)
      columns.push({ key, kind: 'lesson', courseSlug: a.course.slug, courseTitle: a.course.title, lessonSlug: l.slug, title: l.title, dueAt: a.dueAt, assignmentId: a.id })
    }
    if (!a.lesson && !quizCourses.has(a.course.id)) {
      const key = `q:${a.course.id}`
      quizCourses.set(a.course.id, key)
      columns.push({ key, kind: 'quiz', courseSlug: a.course.slug, courseTitle: a.course.title, title: a.course.title, dueAt: a.dueAt, assignmentId: a.id })
    }
  }
  const members = await db.classMember.findMany({
    where: { classId },
    select: { userId: true, pinHash: true, user: { select: { fullName: true, email: true, phone: true, sortKey: true } } },
  })
  members.sort((a, b) => (a.user.sortKey < b.user.sortKey ? -1 : a.user.sortKey > b.user.sortKey ? 1 : 0))
  const userIds = members.map((m) => m.userId)
  const [progress, attempts] = await Promise.all([
    lessonKeys.size && userIds.length
      ? db.lessonProgress.findMany({
          where: { lessonId: { in: [...lessonKeys.keys()] }, enrolment: { userId: { in: userIds } } },
          select: { lessonId: true, completedAt: true, enrolment: { select: { userId: true } } },
        })
      : [],
    quizCourses.size && userIds.length
      ? db.quizAttempt.findMany({
          where: { courseId: { in: [...quizCourses.keys()] }, userId: { in: userIds }, status: 'SUBMITTED' },
          select: { userId: true, courseId: true, scorePercent: true, passed: true },
        })
      : [],
  ])
  const rows: TableRow[] = members.map((m) => ({
    userId: m.userId,
    fullName: m.user.fullName,
    withPin: m.pinHash !== null,
    contact: m.user.email ?? m.user.phone,
    cells: {},
    doneCount: 0,
  }))
  const byUser = new Map(rows.map((r) => [r.userId, r]))
  for (const p of progress) {
    const row = byUser.get(p.enrolment.userId)!
    row.cells[lessonKeys.get(p.lessonId)!] = { done: true, at: p.completedAt, score: null, passed: null }
    row.doneCount++
  }
  for (const a of attempts) {
    const row = byUser.get(a.userId)!
    const key = quizCourses.get(a.courseId)!
    const score = a.scorePercent === null ? null : Number(a.scorePercent)
    const cell = row.cells[key]
    if (!cell || (score ?? -1) > (cell.score ?? -1)) row.cells[key] = { done: a.passed === true || cell?.done === true, at: null, score, passed: a.passed === true || cell?.passed === true }
    else if (a.passed) cell.passed = cell.done = true
  }
  return {
    assignments: assignments.map((a) => ({ id: a.id, courseSlug: a.course.slug, courseTitle: a.course.title, lessonTitle: a.lesson?.title ?? null, dueAt: a.dueAt })),
    columns,
    rows,
    lessonColumns: lessonKeys.size,
  }
}

export interface ExportLabels {
  student: string
  contact: string
  pinAccount: string
  done: string
  notDone: string
  quiz: string
  lessonsDone: string
}

/** The table as rows of plain values: header first. Shared by CSV and XLSX. */
export function tableMatrix(table: ClassTable, labels: ExportLabels, formatDate: (d: Date) => string): (string | number)[][] {
  const header = [labels.student, labels.contact, ...table.columns.map((c) => (c.kind === 'quiz' ? `${labels.quiz}: ${c.courseTitle}` : `${c.courseTitle} — ${c.title}`)), labels.lessonsDone]
  const body = table.rows.map((r) => [
    r.fullName,
    r.withPin ? labels.pinAccount : (r.contact ?? ''),
    ...table.columns.map((c) => {
      const cell = r.cells[c.key]
      if (c.kind === 'quiz') return cell?.score ?? ''
      return cell?.done ? `${labels.done} ${cell.at ? formatDate(cell.at) : ''}`.trim() : labels.notDone
    }),
    `${r.doneCount}/${table.lessonColumns}`,
  ])
  return [header, ...body]
}
