// `npm run content:stats`: for every course in content/, the number of lessons and minutes, the
// questions of its bank (by type and by standard code) and what its final quiz draws. Reads content/
// with the project's own loader (the same validation as content:check), so a broken course is
// reported, not counted. Prints a Markdown table for the README.
import path from 'node:path'
import { loadContent } from '~/modules/content/loader.server'
import { formatProblem } from '~/modules/content/types'

const root = path.resolve(process.env.CONTENT_DIR ?? 'content')
const result = loadContent(root)
if (!result.ok) {
  for (const problem of result.problems) console.error(formatProblem(problem))
  console.error(`\nNội dung có ${result.problems.length} lỗi: chạy npm run content:check.`)
  process.exit(1)
}

const count = <T extends string>(items: T[]) => {
  const out = new Map<T, number>()
  for (const item of items) out.set(item, (out.get(item) ?? 0) + 1)
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}
const list = (pairs: [string, number][]) => (pairs.length ? pairs.map(([k, n]) => `${k} ${n}`).join(', ') : '—')

const rows: string[][] = []
let lessons = 0
let questions = 0
for (const course of result.tree.courses) {
  const bank = [...course.questions.values()]
  const minutes = course.lessons.reduce((sum, l) => sum + (l.frontmatter?.minutes ?? 0), 0)
  const drawn = course.finalQuiz ? course.finalQuiz.draw.reduce((sum, rule) => sum + (rule.questions?.length ?? rule.count ?? 0), 0) : 0
  const untagged = bank.filter((q) => q.standards.length === 0).length
  lessons += course.lessons.length
  questions += bank.length
  rows.push([
    course.slug,
    String(course.lessons.length),
    String(minutes),
    String(bank.length),
    list(count(bank.flatMap((q) => q.standards))) + (untagged ? `, không mã ${untagged}` : ''),
    list(count(bank.map((q) => q.type))),
    course.finalQuiz ? `${drawn} câu, đạt ${course.frontmatter.passMark}%` : '—',
  ])
}

const header = ['Khoá học', 'Bài', 'Phút', 'Câu hỏi', 'Câu hỏi theo mã chuẩn', 'Theo loại', 'Kiểm tra cuối']
console.log(`| ${header.join(' | ')} |`)
console.log(`|${header.map(() => '---').join('|')}|`)
for (const row of rows) console.log(`| ${row.join(' | ')} |`)
console.log(`\n${result.tree.courses.length} khoá, ${lessons} bài, ${questions} câu hỏi.`)
