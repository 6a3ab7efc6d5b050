// Copies what the pages and reports need from content/ into the database, by stable slug: courses
// and lessons are created or updated, and those no longer in content/ are marked retired, never
// deleted (learners' progress, attempts and certificates refer to them). A row is written only when
// its content hash, position or retirement changed, so a start with nothing new writes nothing.
// The same transaction bumps the content version row when the tree changed (version-row.server.ts).
import { Prisma, type Audience, type PrismaClient } from '@prisma/client'
import { holdStartupWriteLock } from '~/utils/startup-lock.server'
import type { ContentTree, CourseSource } from './loader.server'
import { bumpContentVersionRow, readContentVersion, treeHash } from './version-row.server'
import type { AudienceId } from './constants'

const AUDIENCE: Record<AudienceId, Audience> = {
  'civil-servants': 'CIVIL_SERVANTS',
  teachers: 'TEACHERS',
  citizens: 'CITIZENS',
}

export interface MirrorResult {
  created: number
  updated: number
  retired: number
  unchanged: number
}

function courseData(course: CourseSource) {
  const fm = course.frontmatter
  return {
    title: fm.title,
    summary: fm.summary,
    audiences: fm.audience.map((a) => AUDIENCE[a]),
    topic: fm.topic,
    level: fm.level,
    estimatedHours: new Prisma.Decimal(fm.estimatedHours.toFixed(1)),
    standardCodes: fm.standards,
    passMark: fm.passMark,
    validityMonths: fm.validityMonths,
    renewal: fm.renewal === 'course' ? ('COURSE' as const) : ('QUIZ' as const),
    licence: fm.licence,
    authors: fm.authors,
    version: fm.version,
    contentHash: course.contentHash,
    retiredAt: null,
  }
}

/** One row the mirror creates, updates or retires: what the admin page's confirmation lists. */
export interface MirrorChange {
  kind: 'course' | 'lesson'
  change: 'created' | 'updated' | 'retired'
  courseSlug: string
  slug: string
  title: string
}

/**
 * Compares the tree with the rows and, unless dryRun, writes what differs. One code path for the
 * preview and the write, so the confirmation lists exactly what the reload will do.
 */
async function mirrorIn(tx: Prisma.TransactionClient | PrismaClient, tree: ContentTree, now: Date, dryRun: boolean): Promise<{ result: MirrorResult; changes: MirrorChange[] }> {
  const result: MirrorResult = { created: 0, updated: 0, retired: 0, unchanged: 0 }
  const changes: MirrorChange[] = []
  const note = (change: MirrorChange) => {
    changes.push(change)
    result[change.change]++
  }
  const existing = await tx.course.findMany({ include: { lessons: true } })
  const bySlug = new Map(existing.map((c) => [c.slug, c]))
  for (const course of tree.courses) {
    const row = bySlug.get(course.slug)
    const title = course.frontmatter.title
    let courseId = row?.id ?? ''
    if (!row) {
      if (!dryRun) courseId = (await tx.course.create({ data: { slug: course.slug, ...courseData(course) } })).id
      note({ kind: 'course', change: 'created', courseSlug: course.slug, slug: course.slug, title })
    } else if (row.contentHash !== course.contentHash || row.retiredAt !== null) {
      if (!dryRun) await tx.course.update({ where: { id: row.id }, data: courseData(course) })
      note({ kind: 'course', change: 'updated', courseSlug: course.slug, slug: course.slug, title })
    } else result.unchanged++
    const lessonRows = new Map((row?.lessons ?? []).map((l) => [l.slug, l]))
    for (const lesson of course.lessons) {
      const fm = lesson.frontmatter
      const data = {
        position: lesson.position,
        title: fm.title,
        summary: fm.summary,
        minutes: fm.minutes,
        standardCodes: fm.standards,
        contentHash: lesson.contentHash,
        retiredAt: null,
      }
      const lessonRow = lessonRows.get(lesson.slug)
      const change = { kind: 'lesson' as const, courseSlug: course.slug, slug: lesson.slug, title: fm.title }
      if (!lessonRow) {
        if (!dryRun) await tx.lesson.create({ data: { courseId, slug: lesson.slug, ...data } })
        note({ ...change, change: 'created' })
      } else if (lessonRow.contentHash !== lesson.contentHash || lessonRow.position !== lesson.position || lessonRow.retiredAt !== null) {
        if (!dryRun) await tx.lesson.update({ where: { id: lessonRow.id }, data })
        note({ ...change, change: 'updated' })
      } else result.unchanged++
    }
    const current = new Set(course.lessons.map((l) => l.slug))
    for (const lessonRow of row?.lessons ?? []) {
      if (!current.has(lessonRow.slug) && lessonRow.retiredAt === null) {
        if (!dryRun) await tx.lesson.update({ where: { id: lessonRow.id }, data: { retiredAt: now } })
        note({ kind: 'lesson', change: 'retired', courseSlug: course.slug, slug: lessonRow.slug, title: lessonRow.title })
      }
    }
  }
  const inContent = new Set(tree.courses.map((c) => c.slug))
  for (const row of existing) {
    if (inContent.has(row.slug)) continue
    if (row.retiredAt === null) {
      if (!dryRun) await tx.course.update({ where: { id: row.id }, data: { retiredAt: now } })
      note({ kind: 'course', change: 'retired', courseSlug: row.slug, slug: row.slug, title: row.title })
    }
    const live = row.lessons.filter((l) => l.retiredAt === null)
    if (live.length) {
      if (!dryRun) await tx.lesson.updateMany({ where: { id: { in: live.map((l) => l.id) } }, data: { retiredAt: now } })
      for (const l of live) note({ kind: 'lesson', change: 'retired', courseSlug: row.slug, slug: l.slug, title: l.title })
    }
  }
  return { result, changes }
}

export async function mirrorContent({ prisma, tree, now = new Date() }: { prisma: PrismaClient; tree: ContentTree; now?: Date }): Promise<MirrorResult> {
  return (await publishContentTree({ prisma, tree, now })).mirror
}

export interface PublishResult {
  mirror: MirrorResult
  changes: MirrorChange[]
  /** The content version in the database after this (bumped or not). */
  version: number
  /** Whether this call bumped the version (the tree differed from the one last published). */
  bumped: boolean
}

/**
 * Mirrors the tree and, when it differs from the tree last published (another hash, or any row
 * changed), bumps the content version row, all in one transaction: a reload is in the database
 * whole or not at all, and other processes are told only at COMMIT. With dryRun nothing is
 * written: the result says what would change (the admin page's confirmation).
 */
export async function publishContentTree({
  prisma,
  tree,
  now = new Date(),
  changedById = null,
  dryRun = false,
  alsoInTransaction,
}: {
  prisma: PrismaClient
  tree: ContentTree
  now?: Date
  changedById?: string | null
  dryRun?: boolean
  /** Written in the same transaction once the version is known (the audit entry of a reload). */
  alsoInTransaction?: (tx: Prisma.TransactionClient, result: PublishResult) => Promise<void>
}): Promise<PublishResult> {
  const hash = treeHash(tree)
  if (dryRun) {
    const { result, changes } = await mirrorIn(prisma, tree, now, true)
    const row = await readContentVersion(prisma)
    return { mirror: result, changes, version: row?.version ?? 0, bumped: false }
  }
  return prisma.$transaction(
    async (tx) => {
      // Two processes starting at once, or a reload racing a start, mirror one after the other;
      // the second finds it done.
      await holdStartupWriteLock(tx)
      const { result, changes } = await mirrorIn(tx, tree, now, false)
      const row = await readContentVersion(tx)
      const same = row !== null && row.contentHash === hash && changes.length === 0
      const published: PublishResult = same ? { mirror: result, changes, version: row.version, bumped: false } : { mirror: result, changes, version: await bumpContentVersionRow(tx, hash, changedById), bumped: true }
      await alsoInTransaction?.(tx, published)
      return published
    },
    { timeout: 60_000 },
  )
}
