// content/standards/*.yaml: a skills standard split into its sub-areas (Thông tư 03/2014/TT-BTTTT:
// IU01.1 … IU06.5), and for each course that claims to meet it, the lessons that teach and the
// questions that test every sub-area. content:check refuses a claimed sub-area with no lesson or no
// question, a lesson or question that does not exist, and a course that lists every module of the
// standard without claiming it here; a sub-area marked `pending` (a lesson being written) is a
// warning until it is covered (docs/decisions/024).
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import type { CourseSource } from './loader.server'
import { SLUG_PATTERN, STANDARD_CODE } from './schema'
import type { ContentProblem } from './types'
import { parseYaml, validateWith } from './yaml.server'

const slug = z.string().regex(SLUG_PATTERN, { message: 'chỉ gồm chữ thường không dấu, số và dấu gạch ngang' })
const code = z.string().regex(STANDARD_CODE, { message: 'mã chuẩn phải viết hoa, như IU01 hoặc IU01.4' })
const text = z.string().transform((s) => s.normalize('NFC').trim()).pipe(z.string().min(2).max(300))

const Coverage = z.object({ lessons: z.array(slug).default([]), questions: z.array(slug).default([]) }).strict()

const Area = z
  .object({
    code,
    title: text,
    /** false: the code and name are inferred (from training material), not read in the annex itself. */
    verified: z.boolean().default(false),
    /** Why a claimed course does not cover it yet (a lesson being written): a warning, not an error. */
    pending: text.optional(),
    coverage: z.record(slug, Coverage).default({}),
  })
  .strict()

export const StandardFile = z
  .object({
    id: slug,
    title: text,
    source: text,
    /** The courses that claim to meet the whole standard: every sub-area must be covered in them. */
    courses: z.array(slug).default([]),
    modules: z.array(z.object({ code, title: text, areas: z.array(Area).min(1) }).strict()).min(1),
  })
  .strict()
export type StandardFile = z.infer<typeof StandardFile>

export interface StandardCheck {
  standards: StandardFile[]
  problems: ContentProblem[]
  warnings: ContentProblem[]
}

/** Reads content/standards/*.yaml (none: nothing to check) and checks them against the courses. */
export function checkStandards(root: string, courses: CourseSource[], rel: (p: string) => string): StandardCheck {
  const out: StandardCheck = { standards: [], problems: [], warnings: [] }
  const dir = path.join(root, 'standards')
  if (!fs.existsSync(dir)) return out
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name)
    if (!/\.ya?ml$/.test(name)) {
      out.problems.push({ file: rel(file), message: 'trong standards/ chỉ có tệp .yaml' })
      continue
    }
    const yaml = parseYaml(fs.readFileSync(file, 'utf8'), rel(file))
    out.problems.push(...yaml.problems)
    if (yaml.problems.length) continue
    const parsed = validateWith(StandardFile, yaml, rel(file))
    out.problems.push(...parsed.problems)
    if (!parsed.data) continue
    out.standards.push(parsed.data)
    checkOne(parsed.data, courses, rel(file), yaml.lineOf, out)
  }
  return out
}

function checkOne(standard: StandardFile, courses: CourseSource[], file: string, lineOf: (p: (string | number)[]) => number | undefined, out: StandardCheck) {
  const bySlug = new Map(courses.map((c) => [c.slug, c]))
  const moduleCodes = standard.modules.map((m) => m.code)
  standard.courses.forEach((slug, i) => {
    if (!bySlug.has(slug)) out.problems.push({ file, line: lineOf(['courses', i]), field: `courses.${i}`, message: `không có khoá học "${slug}"` })
  })
  // A course that lists every module of the standard claims it: it must say so here.
  for (const course of courses) {
    if (moduleCodes.every((c) => course.frontmatter.standards.includes(c)) && !standard.courses.includes(course.slug)) {
      out.problems.push({ file, field: 'courses', message: `khoá ${course.slug} ghi đủ ${moduleCodes.join(', ')} nhưng không có trong courses: thêm vào và ghi bài học, câu hỏi cho từng mục` })
    }
  }
  const codes = new Set<string>()
  const mapped = new Map<string, Set<string>>()
  standard.modules.forEach((module, m) => {
    module.areas.forEach((area, a) => {
      const at = (...p: (string | number)[]) => ({ file, line: lineOf(['modules', m, 'areas', a, ...p]), field: `modules.${m}.areas.${a}${p.length ? `.${p.join('.')}` : ''}` })
      if (codes.has(area.code)) out.problems.push({ ...at('code'), message: `mã ${area.code} bị lặp` })
      codes.add(area.code)
      if (!area.code.startsWith(`${module.code}.`)) out.problems.push({ ...at('code'), message: `mã ${area.code} không thuộc mô-đun ${module.code}` })
      for (const [slug, coverage] of Object.entries(area.coverage)) {
        const course = bySlug.get(slug)
        if (!course) {
          out.problems.push({ ...at('coverage', slug), message: `không có khoá học "${slug}"` })
          continue
        }
        for (const lesson of coverage.lessons) {
          if (!course.lessons.some((l) => l.slug === lesson)) out.problems.push({ ...at('coverage', slug, 'lessons'), message: `khoá ${slug} không có bài "${lesson}"` })
        }
        for (const id of coverage.questions) {
          const q = course.questions.get(id)
          if (!q) out.problems.push({ ...at('coverage', slug, 'questions'), message: `ngân hàng câu hỏi của khoá ${slug} không có câu "${id}"` })
          else if (!q.standards.includes(module.code)) out.problems.push({ ...at('coverage', slug, 'questions'), message: `câu "${id}" không ghi mã ${module.code} trong standards` })
          const set = mapped.get(slug) ?? new Set<string>()
          set.add(id)
          mapped.set(slug, set)
        }
      }
      for (const slug of standard.courses) {
        if (!bySlug.has(slug)) continue
        const coverage = area.coverage[slug] ?? { lessons: [], questions: [] }
        const missing = [coverage.lessons.length === 0 ? 'bài học' : null, coverage.questions.length === 0 ? 'câu hỏi' : null].filter(Boolean)
        if (!missing.length) continue
        const message = `khoá ${slug} nhận đáp ứng ${standard.title} nhưng mục ${area.code} (${area.title}) chưa có ${missing.join(' và ')}`
        if (area.pending) out.warnings.push({ ...at(), message: `${message} — đang chờ: ${area.pending}` })
        else out.problems.push({ ...at(), message })
      }
    })
  })
  // A question of a claimed course tagged with a module but in no sub-area: the map is out of date.
  for (const slug of standard.courses) {
    const course = bySlug.get(slug)
    if (!course) continue
    for (const q of course.questions.values()) {
      if (q.standards.some((c) => moduleCodes.includes(c)) && !mapped.get(slug)?.has(q.id)) {
        out.warnings.push({ file, message: `câu "${q.id}" của khoá ${slug} (${q.file}) chưa được xếp vào mục nào của ${standard.id}` })
      }
    }
  }
}
