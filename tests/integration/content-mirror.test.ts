// Content mirrored into the database by stable slug: created, updated only when changed, and a
// lesson or course removed from content/ is retired, never deleted, so learners' progress stays.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadContent, type ContentTree } from '~/modules/content/loader.server'
import { mirrorContent } from '~/modules/content/mirror.server'
import { openSeededDatabase, type TestDatabase } from '../setup/test-database'
import { FIXTURE_FILES, writeContentFixture } from '../setup/content-fixture'

let t: TestDatabase
const dirs: string[] = []

beforeAll(async () => {
  t = await openSeededDatabase({ demo: false })
})
afterAll(async () => {
  await t.dispose()
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

function tree(changes: Record<string, string | null> = {}): ContentTree {
  const root = writeContentFixture(changes)
  dirs.push(root)
  const result = loadContent(root, root)
  if (!result.ok) throw new Error(JSON.stringify(result.problems))
  return result.tree
}

const LESSON2 = 'courses/khoa-thu/02-bai-hai/index.mdx'
const LESSON1 = 'courses/khoa-thu/01-bai-mot/index.mdx'
const withoutLesson2 = {
  [LESSON2]: null,
  // What referred to it must go too, or the validator stops it (a broken link, an unknown lesson).
  [LESSON1]: FIXTURE_FILES[LESSON1]!.replace('/courses/khoa-thu/bai-hai', '/courses/khoa-thu'),
  'courses/khoa-thu/questions/cau-hoi.yaml': FIXTURE_FILES['courses/khoa-thu/questions/cau-hoi.yaml']!.replace('  lesson: bai-hai\n', ''),
}

describe('mirroring content into the database', () => {
  it('creates the course and its lessons with their content hashes', async () => {
    const result = await mirrorContent({ prisma: t.db.prisma, tree: tree() })
    expect(result).toEqual({ created: 3, updated: 0, retired: 0, unchanged: 0 })
    const course = await t.db.prisma.course.findUniqueOrThrow({ where: { slug: 'khoa-thu' }, include: { lessons: { orderBy: { position: 'asc' } } } })
    expect(course).toMatchObject({
      title: 'Khoá thử nghiệm',
      audiences: ['CIVIL_SERVANTS'],
      standardCodes: ['IU01', 'IU06'],
      passMark: 70,
      validityMonths: 24,
      licence: 'CC-BY-4.0',
      authors: ['Nhóm kiểm thử'],
      version: '1.0.0',
      retiredAt: null,
    })
    expect(course.estimatedHours.toString()).toBe('0.5')
    expect(course.contentHash).toMatch(/^[0-9a-f]{16}$/)
    expect(course.lessons.map((l) => [l.position, l.slug, l.minutes, l.standardCodes])).toEqual([
      [1, 'bai-mot', 10, ['IU01']],
      [2, 'bai-hai', 12, ['IU06']],
    ])
  })

  it('a second mirror of the same content writes nothing', async () => {
    const before = await t.db.prisma.lesson.findMany({ orderBy: { slug: 'asc' } })
    const result = await mirrorContent({ prisma: t.db.prisma, tree: tree() })
    expect(result).toEqual({ created: 0, updated: 0, retired: 0, unchanged: 3 })
    expect(await t.db.prisma.lesson.findMany({ orderBy: { slug: 'asc' } })).toEqual(before)
  })

  it('an edited lesson gets a new hash; the course hash changes with it', async () => {
    const course = await t.db.prisma.course.findUniqueOrThrow({ where: { slug: 'khoa-thu' }, include: { lessons: true } })
    const edited = tree({ [LESSON2]: FIXTURE_FILES[LESSON2]!.replace('minutes: 12', 'minutes: 15') })
    expect(await mirrorContent({ prisma: t.db.prisma, tree: edited })).toEqual({ created: 0, updated: 2, retired: 0, unchanged: 1 })
    const after = await t.db.prisma.course.findUniqueOrThrow({ where: { slug: 'khoa-thu' }, include: { lessons: true } })
    expect(after.contentHash).not.toBe(course.contentHash)
    const lesson = after.lessons.find((l) => l.slug === 'bai-hai')!
    expect(lesson.minutes).toBe(15)
    expect(lesson.id).toBe(course.lessons.find((l) => l.slug === 'bai-hai')!.id) // same row, by slug
  })

  it('a lesson removed from content is retired, and the progress that refers to it stays', async () => {
    const user = await t.db.prisma.user.create({ data: { email: 'hoc@banso.example', fullName: 'Lò Thị Mai', kind: 'CITIZEN' } })
    const course = await t.db.prisma.course.findUniqueOrThrow({ where: { slug: 'khoa-thu' }, include: { lessons: true } })
    const lesson = course.lessons.find((l) => l.slug === 'bai-hai')!
    const enrolment = await t.db.prisma.enrolment.create({ data: { userId: user.id, courseId: course.id } })
    await t.db.prisma.lessonProgress.create({ data: { enrolmentId: enrolment.id, lessonId: lesson.id } })

    const now = new Date('2026-11-26T10:00:00Z')
    expect(await mirrorContent({ prisma: t.db.prisma, tree: tree(withoutLesson2), now })).toEqual({ created: 0, updated: 2, retired: 1, unchanged: 0 })

    const retired = await t.db.prisma.lesson.findUniqueOrThrow({ where: { id: lesson.id } })
    expect(retired.retiredAt).toEqual(now)
    expect(await t.db.prisma.lessonProgress.count({ where: { lessonId: lesson.id } })).toBe(1)
    expect((await t.db.prisma.course.findUniqueOrThrow({ where: { id: course.id } })).retiredAt).toBeNull()

    // Put back, it is the same lesson again (by slug), no longer retired, its progress still there.
    expect(await mirrorContent({ prisma: t.db.prisma, tree: tree() })).toMatchObject({ created: 0, retired: 0 })
    expect((await t.db.prisma.lesson.findUniqueOrThrow({ where: { id: lesson.id } })).retiredAt).toBeNull()
    expect(await t.db.prisma.lessonProgress.count({ where: { lessonId: lesson.id } })).toBe(1)
  })

  it('a course removed from content is retired with its lessons, and a new one is created beside it', async () => {
    const root = writeContentFixture({ 'courses/khoa-thu/course.mdx': null })
    dirs.push(root)
    fs.rmSync(path.join(root, 'courses/khoa-thu'), { recursive: true, force: true })
    const dir = path.join(root, 'courses/khoa-moi')
    fs.mkdirSync(path.join(dir, '01-bai-dau'), { recursive: true })
    fs.writeFileSync(path.join(dir, 'course.mdx'), FIXTURE_FILES['courses/khoa-thu/course.mdx']!.replace('Khoá thử nghiệm', 'Khoá mới'))
    fs.writeFileSync(path.join(dir, '01-bai-dau/index.mdx'), FIXTURE_FILES[LESSON2]!.replace('<CheckYourself question="cau-mot" />', ''))
    const reloaded = loadContent(root, root)
    if (!reloaded.ok) throw new Error(JSON.stringify(reloaded.problems))

    expect(await mirrorContent({ prisma: t.db.prisma, tree: reloaded.tree })).toEqual({ created: 2, updated: 0, retired: 3, unchanged: 0 })
    const old = await t.db.prisma.course.findUniqueOrThrow({ where: { slug: 'khoa-thu' }, include: { lessons: true } })
    expect(old.retiredAt).not.toBeNull()
    expect(old.lessons.every((l) => l.retiredAt !== null)).toBe(true)
    expect(await t.db.prisma.lessonProgress.count()).toBe(1)
    expect((await t.db.prisma.course.findUniqueOrThrow({ where: { slug: 'khoa-moi' } })).retiredAt).toBeNull()
  })
})
