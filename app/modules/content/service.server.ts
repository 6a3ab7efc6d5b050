// The published content of the process: validated, compiled and with its files published, held in
// memory for the pages. Start-up (app/server/boot.ts) prepares it once; a request only reads it.
import fs from 'node:fs'
import type { PrismaClient } from '@prisma/client'
import { AppError } from '~/utils/errors'
import { getSingleton, setSingleton } from '~/utils/singleton.server'
import { compileCount, compileMdx, type Compiled } from './compile.server'
import { contentConfig, type ContentConfig } from './config.server'
import { publishAsset, type ImageStats } from './images.server'
import { loadContent, type ContentTree, type CourseSource } from './loader.server'
import type { MdxFacts } from './mdx-check.server'
import { bumpContentVersion } from './version.server'
import { publishContent } from './reload.server'
import { BadAnswer, checkAnswer, publicQuestion, type Question } from './questions.server'
import type { AudienceId } from './constants'
import type { Topic } from './schema'
import { search, searchEntry, type SearchEntry, type SearchHit } from './search'
import { viCollator } from './text'
import {
  assetKey,
  formatProblem,
  type AssetManifest,
  type CheckResult,
  type ContentProblem,
  type CourseCard,
  type CourseDetail,
  type LessonListItem,
  type PublicQuestion,
  type TocEntry,
} from './types'

/** Content that cannot be published: every problem, for one line at start-up or a full list. */
export class ContentError extends Error {
  constructor(readonly problems: ContentProblem[]) {
    const shown = problems.slice(0, 3).map(formatProblem).join('; ')
    const more = problems.length > 3 ? `; … và ${problems.length - 3} lỗi khác` : ''
    super(`nội dung khoá học có ${problems.length} lỗi (xem tất cả: npm run content:check): ${shown}${more}`)
    this.name = 'ContentError'
  }
}

export interface PublishedLesson extends LessonListItem {
  compiled: Compiled
  assets: AssetManifest
  questions: PublicQuestion[]
  /** Practice questions with their answers (self-check.yaml): for offline packs and SCORM only. */
  selfCheck: Question[]
}

export interface PublishedCourse {
  source: CourseSource
  detail: CourseDetail
  intro: Compiled
  introAssets: AssetManifest
  lessons: PublishedLesson[]
}

export interface ContentStore {
  topics: Topic[]
  courses: PublishedCourse[]
  index: SearchEntry[]
  tree: ContentTree
}

export interface PrepareStats {
  courses: number
  lessons: number
  compiles: number
  images: ImageStats
  ms: number
}

const KEY = 'content-store'

async function publishAssets(facts: MdxFacts, mediaDir: string, stats: ImageStats): Promise<AssetManifest> {
  const manifest: AssetManifest = {}
  for (const asset of facts.assets) {
    manifest[assetKey(asset.ref, asset.kind === 'file' ? 'file' : 'picture')] = await publishAsset(asset, mediaDir, stats)
  }
  return manifest
}

/** Loads, validates, compiles (through the cache) and publishes all content. Throws ContentError. */
export async function prepareContent(config: ContentConfig = contentConfig()): Promise<{ store: ContentStore; stats: PrepareStats }> {
  const started = Date.now()
  const compilesBefore = compileCount()
  const loaded = loadContent(config.contentDir)
  if (!loaded.ok) throw new ContentError(loaded.problems)
  const images: ImageStats = { generated: 0, reused: 0 }
  const courses: PublishedCourse[] = []
  const index: SearchEntry[] = []
  const compile = (file: string, relFile: string) => compileMdx({ file, relFile, cacheDir: config.cacheDir })
  for (const source of loaded.tree.courses) {
    const fm = source.frontmatter
    const lessons: PublishedLesson[] = []
    for (const lesson of source.lessons) {
      lessons.push({
        slug: lesson.slug,
        position: lesson.position,
        title: lesson.frontmatter.title,
        summary: lesson.frontmatter.summary,
        minutes: lesson.frontmatter.minutes,
        standards: lesson.frontmatter.standards,
        compiled: await compile(lesson.file, lesson.relFile),
        assets: await publishAssets(lesson.facts, config.mediaDir, images),
        questions: [...new Set(lesson.facts.checks.map((c) => c.id))].map((id) => publicQuestion(source.questions.get(id)!)),
        selfCheck: lesson.selfCheck,
      })
      index.push(searchEntry({ kind: 'lesson', courseSlug: source.slug, courseTitle: fm.title, lessonSlug: lesson.slug, title: lesson.frontmatter.title, summary: lesson.frontmatter.summary, body: lesson.facts.plainText }))
    }
    const detail: CourseDetail = {
      slug: source.slug,
      title: fm.title,
      summary: fm.summary,
      audience: fm.audience,
      topic: fm.topic,
      level: fm.level,
      estimatedHours: fm.estimatedHours,
      standards: fm.standards,
      lessonCount: lessons.length,
      minutes: lessons.reduce((sum, l) => sum + l.minutes, 0),
      passMark: fm.passMark,
      validityMonths: fm.validityMonths,
      licence: fm.licence,
      authors: fm.authors,
      version: fm.version,
      lessons: lessons.map(({ slug, position, title, summary, minutes, standards }) => ({ slug, position, title, summary, minutes, standards })),
    }
    index.push(searchEntry({ kind: 'course', courseSlug: source.slug, courseTitle: fm.title, title: fm.title, summary: fm.summary, body: source.facts.plainText }))
    courses.push({
      source,
      detail,
      intro: await compile(source.file, source.relFile),
      introAssets: await publishAssets(source.facts, config.mediaDir, images),
      lessons,
    })
  }
  courses.sort((a, b) => viCollator.compare(a.detail.title, b.detail.title))
  const store: ContentStore = { topics: loaded.tree.topics, courses, index, tree: loaded.tree }
  return {
    store,
    stats: {
      courses: courses.length,
      lessons: courses.reduce((n, c) => n + c.lessons.length, 0),
      compiles: compileCount() - compilesBefore,
      images,
      ms: Date.now() - started,
    },
  }
}

export function setContentStore(store: ContentStore | undefined): void {
  setSingleton(KEY, store)
  // Pages rendered from the previous store are stale from now on (app/server/page-cache.ts).
  bumpContentVersion()
}

/**
 * At start-up: prepare the content, mirror it into the database (bumping the content version row
 * when the tree differs from the one last published), and make it the process's.
 * Logs only when something was done, so a start with nothing new is quiet.
 */
export async function startContent({ prisma, log, config }: { prisma: PrismaClient; log: (line: string) => void; config?: ContentConfig }) {
  const { stats, mirror, version, bumped } = await publishContent({ prisma, config })
  if (stats.compiles > 0 || stats.images.generated > 0) {
    log(`[content] ${stats.courses} khoá, ${stats.lessons} bài: biên dịch ${stats.compiles} tệp MDX, tạo ${stats.images.generated} tệp ảnh/tải về (${stats.ms} ms)`)
  }
  if (mirror.created || mirror.updated || mirror.retired) {
    log(`[content] cơ sở dữ liệu: ${mirror.created} mới, ${mirror.updated} cập nhật, ${mirror.retired} ngừng dùng`)
  }
  if (bumped && version > 1) log(`[content] phiên bản nội dung ${version}`)
  return { stats, mirror }
}

let preparing: Promise<ContentStore> | undefined

/** The process's content; prepared on first use when start-up did not (development, tests). */
export async function getContentStore(): Promise<ContentStore> {
  const ready = getSingleton<ContentStore>(KEY)
  if (ready) return ready
  preparing ??= prepareContent()
    .then(({ store }) => {
      setContentStore(store)
      return store
    })
    .finally(() => {
      preparing = undefined
    })
  return preparing
}

// ─── What the pages ask for ───

export async function listCourses({ audience, topic, query }: { audience?: AudienceId; topic?: string; query?: string }) {
  const store = await getContentStore()
  const courses = store.courses
    .map((c) => c.detail)
    .filter((c) => (!audience || c.audience.includes(audience)) && (!topic || c.topic === topic))
  const allowed = new Set(courses.map((c) => c.slug))
  const hits: SearchHit[] = query?.trim() ? search(store.index, query).filter((h) => allowed.has(h.courseSlug)) : []
  const cards: CourseCard[] = courses.map(({ lessons: _lessons, passMark: _p, validityMonths: _v, licence: _l, authors: _a, version: _ver, ...card }) => card)
  return { courses: cards, hits, topics: store.topics }
}

export function findCourse(store: ContentStore, slug: string) {
  const course = store.courses.find((c) => c.detail.slug === slug)
  if (!course) throw new AppError('NOT_FOUND', 'content.unknownCourse', { course: slug })
  return course
}

export async function getCourse({ courseSlug }: { courseSlug: string }) {
  const store = await getContentStore()
  const course = findCourse(store, courseSlug)
  return { course: course.detail, intro: course.intro.code, assets: course.introAssets, topic: store.topics.find((t) => t.id === course.detail.topic) }
}

export async function getLesson({ courseSlug, lessonSlug }: { courseSlug: string; lessonSlug: string }) {
  const store = await getContentStore()
  const course = findCourse(store, courseSlug)
  const at = course.lessons.findIndex((l) => l.slug === lessonSlug)
  const lesson = course.lessons[at]
  if (!lesson) throw new AppError('NOT_FOUND', 'content.unknownLesson', { lesson: lessonSlug, course: courseSlug })
  const link = (l: PublishedLesson | undefined) => (l ? { slug: l.slug, title: l.title } : null)
  const { detail } = course
  return {
    course: { slug: detail.slug, title: detail.title, licence: detail.licence, authors: detail.authors, version: detail.version, lessonCount: detail.lessonCount, lessonSlugs: course.lessons.map((l) => l.slug) },
    lesson: { slug: lesson.slug, position: lesson.position, title: lesson.title, summary: lesson.summary, minutes: lesson.minutes, standards: lesson.standards },
    code: lesson.compiled.code,
    toc: lesson.compiled.toc as TocEntry[],
    assets: lesson.assets,
    questions: lesson.questions,
    previous: link(course.lessons[at - 1]),
    next: link(course.lessons[at + 1]),
  }
}

/** The MDX of a lesson as its authors wrote it (open content: anyone may read and reuse it). */
export async function getLessonSource({ courseSlug, lessonSlug }: { courseSlug: string; lessonSlug: string }): Promise<{ text: string; fileName: string }> {
  const store = await getContentStore()
  const course = findCourse(store, courseSlug)
  const lesson = course.source.lessons.find((l) => l.slug === lessonSlug)
  if (!lesson) throw new AppError('NOT_FOUND', 'content.unknownLesson', { lesson: lessonSlug, course: courseSlug })
  return { text: await fs.promises.readFile(lesson.file, 'utf8'), fileName: `${lesson.slug}.mdx` }
}

/** Grades a check-yourself answer of a lesson. Only questions the lesson shows can be answered. */
export async function checkYourself({ courseSlug, lessonSlug, questionId, response }: { courseSlug: string; lessonSlug: string; questionId: string; response: string[] }): Promise<CheckResult> {
  const store = await getContentStore()
  const course = findCourse(store, courseSlug)
  const lesson = course.lessons.find((l) => l.slug === lessonSlug)
  if (!lesson) throw new AppError('NOT_FOUND', 'content.unknownLesson', { lesson: lessonSlug, course: courseSlug })
  if (!lesson.questions.some((q) => q.id === questionId)) throw new AppError('BAD_INPUT', 'content.questionNotInLesson')
  try {
    return checkAnswer(course.source.questions.get(questionId)!, response)
  } catch (error) {
    if (error instanceof BadAnswer) throw new AppError('BAD_INPUT', 'content.badAnswer', { detail: error.ref }, { questionId, answer: error.ref })
    throw error
  }
}
