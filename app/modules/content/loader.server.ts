// Reads content/ and validates every file: frontmatter and YAML against the schemas, MDX against
// the component map, and what ties files together (topics, lesson slugs, question ids, standard
// codes, links between courses). Returns the whole tree, or every problem found, never half.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { bankBiases, biasProblems, poolOf, POOL_PER_DRAWN } from './fairness'
import { checkMdx, type AssetRef, type MdxFacts } from './mdx-check.server'
import { formatNumber } from './numbers'
import { answerProblems, withOptionIds, type Question } from './questions.server'
import { checkStandards, type StandardFile } from './standards.server'
import { CourseFrontmatter, FinalQuiz, LessonFrontmatter, Question as QuestionSchema, QuestionFile, SLUG_PATTERN, Topics, type Topic } from './schema'
import type { ContentProblem } from './types'
import { parseYaml, validateWith } from './yaml.server'

export interface LessonSource {
  slug: string
  position: number
  /** Absolute path of index.mdx. */
  file: string
  relFile: string
  frontmatter: LessonFrontmatter
  facts: MdxFacts
  /**
   * Practice questions of `self-check.yaml` beside the lesson: never in the graded question bank,
   * never drawn for the final quiz, so their answers may travel with offline packs and SCORM.
   */
  selfCheck: Question[]
  contentHash: string
}

/** Question types a self-check can use: the ones a few lines of script can grade in any browser. */
export const SELF_CHECK_TYPES = ['single', 'multiple', 'true-false'] as const
export const SELF_CHECK_FILE = 'self-check.yaml'

export interface CourseSource {
  slug: string
  dir: string
  file: string
  relFile: string
  frontmatter: CourseFrontmatter
  facts: MdxFacts
  lessons: LessonSource[]
  questions: Map<string, Question>
  finalQuiz?: FinalQuiz
  contentHash: string
}

export interface ContentTree {
  root: string
  topics: Topic[]
  courses: CourseSource[]
  /** content/standards/*.yaml: sub-areas of a standard and what covers each. */
  standards: StandardFile[]
  /** What content:check prints without refusing (a sub-area waiting for its lesson). */
  warnings: ContentProblem[]
}

export type LoadResult = { ok: true; tree: ContentTree } | { ok: false; problems: ContentProblem[] }

const LESSON_DIR = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$/

/** skipFairness: leave out the bank-bias limits (content:stats reports them instead of refusing). */
export function loadContent(root: string, projectRoot: string = process.cwd(), options: { skipFairness?: boolean } = {}): LoadResult {
  const problems: ContentProblem[] = []
  const rel = (p: string) => path.relative(projectRoot, p) || p
  const coursesDir = path.join(root, 'courses')

  const topicsFile = path.join(root, 'topics.yaml')
  let topics: Topic[] = []
  if (!fs.existsSync(topicsFile)) problems.push({ file: rel(topicsFile), message: 'thiếu tệp danh sách chủ đề (topics.yaml)' })
  else {
    const yaml = parseYaml(fs.readFileSync(topicsFile, 'utf8'), rel(topicsFile))
    problems.push(...yaml.problems)
    if (!yaml.problems.length) {
      const parsed = validateWith(Topics, yaml, rel(topicsFile))
      problems.push(...parsed.problems)
      topics = parsed.data ?? []
    }
  }

  if (!fs.existsSync(coursesDir)) {
    problems.push({ file: rel(coursesDir), message: 'không có thư mục courses' })
    return { ok: false, problems }
  }

  const courses: CourseSource[] = []
  for (const name of fs.readdirSync(coursesDir).sort()) {
    const dir = path.join(coursesDir, name)
    if (!fs.statSync(dir).isDirectory()) {
      problems.push({ file: rel(dir), message: 'trong courses/ chỉ có thư mục khoá học' })
      continue
    }
    if (!SLUG_PATTERN.test(name)) {
      problems.push({ file: rel(dir), message: 'tên thư mục khoá học chỉ gồm chữ thường không dấu, số và gạch ngang (vd. lam-quen-ban-so)' })
      continue
    }
    const course = loadCourse(dir, name, rel, problems, options)
    if (course) courses.push(course)
  }
  if (courses.length === 0 && problems.length === 0) problems.push({ file: rel(coursesDir), message: 'chưa có khoá học nào' })

  crossCheck(courses, topics, problems, options)
  const standards = checkStandards(root, courses, rel)
  problems.push(...standards.problems)
  if (problems.length) return { ok: false, problems: sortProblems(problems) }
  const warnings = [...standards.warnings, ...hoursWarnings(courses)]
  return { ok: true, tree: { root, topics, courses, standards: standards.standards, warnings: sortProblems(warnings) } }
}

/**
 * A course announced as quicker than reading its lessons and taking its final quiz: the hours a
 * learner plans for are not honest (a warning, since raising them is the author's call).
 */
function hoursWarnings(courses: CourseSource[]): ContentProblem[] {
  return courses.flatMap((course) => {
    const minutes = course.lessons.reduce((n, l) => n + (l.frontmatter?.minutes ?? 0), 0) + (course.finalQuiz?.timeLimitMinutes ?? 0)
    const hours = Math.ceil((minutes / 60) * 4) / 4
    return course.frontmatter.estimatedHours < hours
      ? [{ file: course.relFile, field: 'estimatedHours', message: `${formatNumber(course.frontmatter.estimatedHours)} giờ, ít hơn thời gian đọc các bài và làm bài kiểm tra cuối (${minutes} phút, khoảng ${formatNumber(hours)} giờ): ghi số giờ thật người học cần, kể cả thực hành` }]
      : []
  })
}

function sortProblems(problems: ContentProblem[]): ContentProblem[] {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0))
}

/** Splits `---\nyaml\n---\nbody`; the YAML starts on line 2 of the file. */
function frontmatterOf(source: string): string | undefined {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(source)
  return match ? match[1] : undefined
}

function readMdx<S extends typeof CourseFrontmatter | typeof LessonFrontmatter>(
  file: string,
  relFile: string,
  schema: S,
  allowChecks: boolean,
  problems: ContentProblem[],
) {
  const source = fs.readFileSync(file, 'utf8')
  if (source !== source.normalize('NFC')) {
    problems.push({ file: relFile, message: 'tệp không ở dạng Unicode dựng sẵn (NFC): lưu lại bằng trình soạn thảo dùng Unicode dựng sẵn' })
  }
  const yamlText = frontmatterOf(source)
  let frontmatter: ReturnType<S['parse']> | undefined
  if (yamlText === undefined) {
    problems.push({ file: relFile, line: 1, message: 'thiếu phần đầu (frontmatter): tệp phải bắt đầu bằng --- và các trường như title, summary' })
  } else {
    const yaml = parseYaml(yamlText, relFile, 2)
    problems.push(...yaml.problems)
    if (!yaml.problems.length) {
      const parsed = validateWith(schema, yaml, relFile)
      problems.push(...parsed.problems)
      frontmatter = parsed.data as ReturnType<S['parse']> | undefined
    }
  }
  const checked = checkMdx(source, file, relFile, { allowChecks })
  problems.push(...checked.problems)
  return { source, frontmatter, facts: checked.facts }
}

function hashOf(parts: (string | Buffer)[]): string {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part).update('\0')
  return hash.digest('hex').slice(0, 16)
}

function assetHashes(assets: AssetRef[]): string[] {
  return [...assets].sort((a, b) => a.ref.localeCompare(b.ref)).map((a) => `${a.ref}:${hashOf([fs.readFileSync(a.absPath)])}`)
}

function loadCourse(dir: string, slug: string, rel: (p: string) => string, problems: ContentProblem[], options: { skipFairness?: boolean }): CourseSource | undefined {
  const file = path.join(dir, 'course.mdx')
  if (!fs.existsSync(file)) {
    problems.push({ file: rel(dir), message: 'thiếu tệp course.mdx' })
    return undefined
  }
  const course = readMdx(file, rel(file), CourseFrontmatter, false, problems)

  const lessons: LessonSource[] = []
  const bySlug = new Map<string, LessonSource>()
  const byPosition = new Map<number, LessonSource>()
  const questionFiles: string[] = []
  let finalQuizFile: string | undefined
  for (const entry of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, entry)
    const isDir = fs.statSync(full).isDirectory()
    if (entry === 'course.mdx') continue
    if (entry === 'final-quiz.yaml') finalQuizFile = full
    else if (entry === 'questions' && isDir) {
      for (const q of fs.readdirSync(full).sort()) {
        if (/\.ya?ml$/.test(q)) questionFiles.push(path.join(full, q))
        else problems.push({ file: rel(path.join(full, q)), message: 'trong questions/ chỉ có tệp .yaml' })
      }
    } else if (isDir) {
      const match = LESSON_DIR.exec(entry)
      if (!match) {
        problems.push({ file: rel(full), message: 'thư mục bài học phải có dạng <số hai chữ số>-<tên-bài>, vd. 01-bat-dau' })
        continue
      }
      const lessonFile = path.join(full, 'index.mdx')
      if (!fs.existsSync(lessonFile)) {
        problems.push({ file: rel(full), message: 'thiếu tệp index.mdx của bài học' })
        continue
      }
      const read = readMdx(lessonFile, rel(lessonFile), LessonFrontmatter, true, problems)
      const selfCheckFile = path.join(full, SELF_CHECK_FILE)
      const selfCheck = fs.existsSync(selfCheckFile) ? readSelfCheck(selfCheckFile, rel, problems) : { questions: [], source: '' }
      const lesson: LessonSource = {
        slug: match[2]!,
        position: Number(match[1]),
        file: lessonFile,
        relFile: rel(lessonFile),
        frontmatter: read.frontmatter as LessonFrontmatter,
        facts: read.facts,
        selfCheck: selfCheck.questions,
        contentHash: hashOf([read.source, ...assetHashes(read.facts.assets), selfCheck.source]),
      }
      const sameSlug = bySlug.get(lesson.slug)
      if (sameSlug) problems.push({ file: lesson.relFile, field: 'slug', message: `hai bài học trùng tên "${lesson.slug}" (cũng có ở ${sameSlug.relFile})` })
      const samePosition = byPosition.get(lesson.position)
      if (samePosition) problems.push({ file: lesson.relFile, message: `hai bài học cùng số thứ tự ${match[1]} (cũng có ở ${samePosition.relFile})` })
      bySlug.set(lesson.slug, lesson)
      byPosition.set(lesson.position, lesson)
      lessons.push(lesson)
    }
    // Other files beside course.mdx are the introduction's images; checkMdx checks those it uses.
  }
  if (lessons.length === 0) problems.push({ file: rel(dir), message: 'khoá học chưa có bài học nào (thư mục 01-ten-bai/index.mdx)' })

  const questions = new Map<string, Question>()
  const questionSources: string[] = []
  for (const qFile of questionFiles) {
    const source = fs.readFileSync(qFile, 'utf8')
    questionSources.push(source)
    const yaml = parseYaml(source, rel(qFile))
    problems.push(...yaml.problems)
    if (yaml.problems.length) continue
    const list = validateWith(QuestionFile, yaml, rel(qFile))
    problems.push(...list.problems)
    for (const [i, raw] of (list.data ?? []).entries()) {
      const item = validateWith(QuestionSchema, { ...yaml, value: raw, lineOf: (p) => yaml.lineOf([i, ...p]) }, rel(qFile), [i])
      problems.push(...item.problems)
      if (!item.data) continue
      const line = yaml.lineOf([i])
      for (const p of answerProblems(item.data)) problems.push({ file: rel(qFile), line, field: `${i}.${p.field}`, message: p.message })
      const existing = questions.get(item.data.id)
      if (existing) {
        problems.push({ file: rel(qFile), line, field: 'id', message: `hai câu hỏi trùng id "${item.data.id}" (cũng có ở ${existing.file}:${existing.line ?? '?'})` })
        continue
      }
      questions.set(item.data.id, { ...withOptionIds(item.data), file: rel(qFile), line })
    }
  }

  let finalQuiz: FinalQuiz | undefined
  let finalSource = ''
  if (finalQuizFile) {
    finalSource = fs.readFileSync(finalQuizFile, 'utf8')
    const yaml = parseYaml(finalSource, rel(finalQuizFile))
    problems.push(...yaml.problems)
    if (!yaml.problems.length) {
      const parsed = validateWith(FinalQuiz, yaml, rel(finalQuizFile))
      problems.push(...parsed.problems)
      finalQuiz = parsed.data
      if (finalQuiz) checkFinalQuiz(finalQuiz, questions, lessons, course.frontmatter, yaml.lineOf, rel(finalQuizFile), problems, options)
    }
  }

  if (!course.frontmatter) return undefined
  lessons.sort((a, b) => a.position - b.position)
  return {
    slug,
    dir,
    file,
    relFile: rel(file),
    frontmatter: course.frontmatter as CourseFrontmatter,
    facts: course.facts,
    lessons,
    questions,
    finalQuiz,
    contentHash: hashOf([course.source, ...assetHashes(course.facts.assets), ...lessons.map((l) => l.contentHash), ...questionSources, finalSource]),
  }
}

/** A lesson's self-check.yaml: questions in the bank's format, limited to SELF_CHECK_TYPES. */
function readSelfCheck(file: string, rel: (p: string) => string, problems: ContentProblem[]): { questions: Question[]; source: string } {
  const source = fs.readFileSync(file, 'utf8')
  const questions: Question[] = []
  const yaml = parseYaml(source, rel(file))
  problems.push(...yaml.problems)
  if (yaml.problems.length) return { questions, source }
  const list = validateWith(QuestionFile, yaml, rel(file))
  problems.push(...list.problems)
  const seen = new Set<string>()
  for (const [i, raw] of (list.data ?? []).entries()) {
    const item = validateWith(QuestionSchema, { ...yaml, value: raw, lineOf: (p) => yaml.lineOf([i, ...p]) }, rel(file), [i])
    problems.push(...item.problems)
    if (!item.data) continue
    const line = yaml.lineOf([i])
    if (!(SELF_CHECK_TYPES as readonly string[]).includes(item.data.type)) {
      problems.push({ file: rel(file), line, field: `${i}.type`, message: `câu tự kiểm tra chỉ dùng ${SELF_CHECK_TYPES.join(', ')} (chấm được ngay trên trang, không cần máy chủ)` })
      continue
    }
    for (const p of answerProblems(item.data)) problems.push({ file: rel(file), line, field: `${i}.${p.field}`, message: p.message })
    if (seen.has(item.data.id)) problems.push({ file: rel(file), line, field: 'id', message: `hai câu hỏi trùng id "${item.data.id}"` })
    seen.add(item.data.id)
    questions.push({ ...withOptionIds(item.data), file: rel(file), line })
  }
  return { questions, source }
}

function checkFinalQuiz(
  quiz: FinalQuiz,
  questions: Map<string, Question>,
  lessons: LessonSource[],
  course: CourseFrontmatter | undefined,
  lineOf: (path: (string | number)[]) => number | undefined,
  file: string,
  problems: ContentProblem[],
  options: { skipFairness?: boolean },
) {
  if (course && quiz.passMark !== undefined && quiz.passMark !== course.passMark) {
    problems.push({ file, line: lineOf(['passMark']), field: 'passMark', message: `khác điểm đạt trong course.mdx (${course.passMark}); chỉ ghi một nơi` })
  }
  const all = [...questions.values()]
  quiz.draw.forEach((rule, i) => {
    const at = (field: string) => ({ file, line: lineOf(['draw', i, field]), field: `draw.${i}.${field}` })
    if (rule.questions) {
      for (const id of rule.questions) if (!questions.has(id)) problems.push({ ...at('questions'), message: `không có câu hỏi "${id}" trong ngân hàng câu hỏi` })
      return
    }
    if (rule.lesson && !lessons.some((l) => l.slug === rule.lesson)) {
      problems.push({ ...at('lesson'), message: `không có bài học "${rule.lesson}" trong khoá` })
      return
    }
    const pool = poolOf(rule, all)
    const what = rule.standard ? `mã chuẩn ${rule.standard}` : `của bài ${rule.lesson}`
    if (pool.length < (rule.count ?? 0)) {
      problems.push({ ...at('count'), message: `cần rút ${rule.count} câu nhưng ngân hàng chỉ có ${pool.length} câu ${what}` })
    } else if (!options.skipFairness && pool.length < POOL_PER_DRAWN * (rule.count ?? 0)) {
      // Three attempts would show most of the pool: the learner learns the bank, not the subject.
      problems.push({
        ...at('count'),
        message: `rút ${rule.count} câu từ ${pool.length} câu ${what}: ngân hàng cần ít nhất ${POOL_PER_DRAWN} lần số câu rút (${POOL_PER_DRAWN * rule.count!} câu), để vài lần làm bài không lộ gần hết ngân hàng; viết thêm câu hoặc rút ít hơn`,
      })
    }
  })
}

/** What can only be checked with every course loaded: topics, links, questions, standard codes. */
function crossCheck(courses: CourseSource[], topics: Topic[], problems: ContentProblem[], options: { skipFairness?: boolean }) {
  const topicIds = new Set(topics.map((t) => t.id))
  for (const course of courses) {
    const fm = course.frontmatter
    if (topics.length && !topicIds.has(fm.topic)) {
      problems.push({ file: course.relFile, field: 'topic', message: `chủ đề "${fm.topic}" không có trong content/topics.yaml (${[...topicIds].join(', ')})` })
    }
    const codes = new Set(fm.standards)
    const lessonSlugs = new Set(course.lessons.map((l) => l.slug))
    const mdxFiles: { relFile: string; facts: MdxFacts }[] = [course, ...course.lessons]
    for (const lesson of course.lessons) {
      for (const code of lesson.frontmatter?.standards ?? []) {
        if (!codes.has(code)) problems.push({ file: lesson.relFile, field: 'standards', message: `mã chuẩn ${code} không có trong standards của khoá (course.mdx)` })
      }
      for (const q of lesson.selfCheck) {
        // Kept apart from the graded bank: a self-check's answer ships to the browser.
        if (course.questions.has(q.id)) problems.push({ file: q.file, line: q.line, field: 'id', message: `id "${q.id}" đã dùng trong ngân hàng câu hỏi của khoá: câu tự kiểm tra phải là câu riêng` })
      }
      for (const check of lesson.facts.checks) {
        if (!course.questions.has(check.id)) {
          problems.push({ file: lesson.relFile, line: check.line, field: 'question', message: `<CheckYourself>: không có câu hỏi "${check.id}" trong thư mục questions/ của khoá` })
        }
      }
    }
    const bankDir = path.join(path.dirname(course.relFile), 'questions')
    if (!options.skipFairness) for (const message of biasProblems(bankBiases(course.questions.values()))) problems.push({ file: bankDir, message })
    for (const q of course.questions.values()) {
      if (q.lesson && !lessonSlugs.has(q.lesson)) problems.push({ file: q.file, line: q.line, field: 'lesson', message: `không có bài học "${q.lesson}" trong khoá` })
      for (const code of q.standards) {
        if (!codes.has(code)) problems.push({ file: q.file, line: q.line, field: 'standards', message: `mã chuẩn ${code} không có trong standards của khoá` })
      }
    }
    for (const mdx of mdxFiles) {
      for (const link of mdx.facts.internalLinks) {
        const target = courses.find((c) => c.slug === link.course)
        const ok = target && (!link.lesson || target.lessons.some((l) => l.slug === link.lesson))
        if (!ok) {
          const url = `/courses/${link.course}${link.lesson ? `/${link.lesson}` : ''}`
          problems.push({ file: mdx.relFile, line: link.line, message: `liên kết hỏng "${url}": không có ${target ? 'bài học' : 'khoá học'} này` })
        }
      }
    }
  }
}
