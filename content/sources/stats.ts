// `npm run content:stats`: for every course in content/, the number of lessons and minutes, the
// questions of its bank (by type and by standard code) and what its final quiz draws. Reads content/
// with the project's own loader (the same validation as content:check), so a broken course is
// reported, not counted. Prints a Markdown table for the README, then the biases of each bank
// (app/modules/content/fairness.ts): how often the keyed option is the longest, where the key sits,
// the true/false balance and how much of a pool each final-quiz rule draws; with --items, the
// single-choice items whose keyed option is the longest. A bank with problems is still reported
// (the biases are what an author fixes), after the list of problems.
import path from 'node:path'
import { bankBiases, biasProblems, keyLongestItems, percent, poolOf } from '~/modules/content/fairness'
import { loadContent } from '~/modules/content/loader.server'
import { formatProblem } from '~/modules/content/types'

const root = path.resolve(process.env.CONTENT_DIR ?? 'content')
const loaded = loadContent(root, process.cwd(), { skipFairness: true })
if (!loaded.ok) {
  for (const problem of loaded.problems) console.error(formatProblem(problem))
  console.error(`\nNội dung có ${loaded.problems.length} lỗi: chạy npm run content:check.`)
  process.exit(1)
}
const result = loaded

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

console.log('\n## Độ công bằng của ngân hàng câu hỏi\n')
const biasHeader = ['Khoá học', 'Một lựa chọn', 'Đáp án dài nhất', 'Đáp án ngắn nhất', 'Vị trí đáp án (a, b, c, d…)', 'Đúng/sai: “Đúng”', 'Rút / ngân hàng theo quy tắc', 'content:check']
console.log(`| ${biasHeader.join(' | ')} |`)
console.log(`|${biasHeader.map(() => '---').join('|')}|`)
for (const course of result.tree.courses) {
  const bank = [...course.questions.values()]
  const b = bankBiases(bank)
  const rules = (course.finalQuiz?.draw ?? [])
    .filter((r) => r.count !== undefined)
    .map((r) => `${r.standard ?? r.lesson} ${r.count}/${poolOf(r, bank).length}`)
    .join(', ')
  const problems = biasProblems(b)
  console.log(
    `| ${[
      course.slug,
      String(b.single),
      `${b.keyLongest} (${percent(b.keyLongest, b.single)})`,
      `${b.keyShortest} (${percent(b.keyShortest, b.single)})`,
      b.keyPositions.join(' / ') || '—',
      b.trueFalse ? `${b.trueAnswers}/${b.trueFalse} (${percent(b.trueAnswers, b.trueFalse)})` : '—',
      rules || '—',
      problems.length ? `${problems.length} lỗi` : 'đạt',
    ].join(' | ')} |`,
  )
}
if (process.argv.includes('--items')) {
  console.log('\nCâu một lựa chọn có đáp án là lựa chọn dài nhất:')
  for (const course of result.tree.courses) for (const q of keyLongestItems(course.questions.values())) console.log(`- ${q.file}:${q.line ?? '?'} ${q.id}`)
}
