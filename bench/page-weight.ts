// Scenario 5, `npm run bench:page-weight`: the compressed weight of every page type, measured in
// Chromium as a first visit (fresh context, no cache): HTML, CSS and JS as they crossed the wire,
// against the budget (HTML ≤ 14 KB: one TCP first round trip; HTML+CSS+JS ≤ 30 KB). Every lesson
// and course page, the catalogue, the quiz (its rules page and an open attempt, signed in), and
// the report page (/reports, as an admin: the whole province). The server is the production build
// started as `NODE_ENV=production npm start` on a throw-away PostgreSQL database.
// Exit code 1 when a page breaks the budget or does not answer 200.
import fs from 'node:fs'
import { chromium } from 'playwright-core'
import { BUDGET, chromiumPath, measurePageInBrowser, type BrowserPageWeight } from './page-weight-lib'
import { emitResults, type BenchRow } from './result'
import { createBenchDatabase, createLearners, round, signInCookie, startApp, withCleanup } from './support'

interface PageType {
  type: string
  /** Paths to measure, given the server and a signed-in learner's cookie; null = not available (why). */
  paths: (ctx: { base: string; cookie: string; courses: string[]; lessons: string[] }) => Promise<string[] | string>
  /** Measured signed in as a learner, or as an admin. */
  signedIn?: 'learner' | 'admin'
}

async function startAttemptPath(base: string, cookie: string, course: string): Promise<string> {
  const r = await fetch(`${base}/courses/${course}/quiz`, { method: 'POST', headers: { Cookie: cookie, Origin: base, 'Content-Type': 'application/x-www-form-urlencoded' }, body: '', redirect: 'manual' })
  const location = r.headers.get('location')
  if (r.status !== 302 || !location) throw new Error(`Không bắt đầu được bài kiểm tra ${course}: HTTP ${r.status}`)
  return location
}

const routeFiles = fs.readdirSync('app/routes')
const PAGE_TYPES: PageType[] = [
  { type: 'catalogue', paths: async () => ['/courses'] },
  { type: 'course', paths: async ({ courses }) => courses.map((c) => `/courses/${c}`) },
  { type: 'lesson', paths: async ({ lessons }) => lessons },
  { type: 'quiz', signedIn: 'learner', paths: async ({ base, cookie }) => ['/courses/tin-hoc-co-ban/quiz', await startAttemptPath(base, cookie, 'tin-hoc-co-ban')] },
  {
    // The trained-staff report (issue 8: app/routes/reports._index.tsx), the whole province as an admin sees it.
    type: 'report',
    signedIn: 'admin',
    paths: async () => (routeFiles.includes('reports._index.tsx') ? ['/reports'] : 'not available: no report route (app/routes/reports._index.tsx)'),
  },
]

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
const pct = (n: number, of: number) => `${Math.round((100 * n) / of)}%`
const rows: BenchRow[] = []
let failed = false

await withCleanup(async (defer) => {
  const executablePath = chromiumPath()
  if (!executablePath) throw new Error('Không có Chromium: đặt CHROMIUM_PATH hoặc chạy "npm run test:chromium".')
  const database = await createBenchDatabase()
  defer(() => database.drop())
  const [account, adminAccount] = await createLearners(database.url, 2, { admins: 1 })
  const app = await startApp({ databaseUrl: database.url })
  defer(() => app.stop())
  const cookie = await signInCookie(app.base, account!)
  const cookies = { learner: cookie, admin: await signInCookie(app.base, adminAccount!) }
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  })
  defer(() => browser.close())

  const courses = fs.readdirSync('content/courses').filter((d) => fs.existsSync(`content/courses/${d}/course.mdx`))
  const lessons = courses.flatMap((c) =>
    fs
      .readdirSync(`content/courses/${c}`)
      .filter((d) => /^\d+-/.test(d) && fs.existsSync(`content/courses/${c}/${d}/index.mdx`))
      .map((d) => `/courses/${c}/${d.replace(/^\d+-/, '')}`),
  )
  const weights: BrowserPageWeight[] = []
  console.log(`Ngân sách: HTML ${kb(BUDGET.htmlGzip)} nén, cả trang (HTML+CSS+JS, không ảnh) ${kb(BUDGET.pageGzip)} nén. Đo trong Chromium, lần đầu vào trang.\n`)
  console.log(['loại', 'trang', 'HTML', 'HTML nén', '/14 KB', 'CSS nén', 'JS nén', 'cả trang nén', '/30 KB', 'ảnh'].join('\t'))
  for (const pageType of PAGE_TYPES) {
    const paths = await pageType.paths({ base: app.base, cookie, courses, lessons })
    if (typeof paths === 'string') {
      console.log(`${pageType.type}\t— ${paths}`)
      // NaN is written as null: the table shows a dash.
      rows.push({ scenario: 'page-weight', metric: `${pageType.type} page, HTML+CSS+JS gzip`, product: Number.NaN, anchor: round(BUDGET.pageGzip / 1024, 1), unit: 'KB', ratio: null, target: null, pass: null, note: paths })
      continue
    }
    const ofType: BrowserPageWeight[] = []
    for (const path of paths) {
      const w = await measurePageInBrowser(browser, app.base, { path, type: pageType.type, cookie: pageType.signedIn ? cookies[pageType.signedIn] : undefined })
      ofType.push(w)
      console.log([w.type, w.path, kb(w.htmlBytes), kb(w.htmlGzip), pct(w.htmlGzip, BUDGET.htmlGzip), kb(w.cssGzip), kb(w.jsGzip), kb(w.pageGzip), pct(w.pageGzip, BUDGET.pageGzip), kb(w.imageBytes)].join('\t'))
    }
    weights.push(...ofType)
    const heaviest = [...ofType].sort((a, b) => b.pageGzip - a.pageGzip)[0]!
    const heaviestHtml = [...ofType].sort((a, b) => b.htmlGzip - a.htmlGzip)[0]!
    const within = heaviest.pageGzip <= BUDGET.pageGzip && heaviestHtml.htmlGzip <= BUDGET.htmlGzip && ofType.every((w) => w.status === 200)
    rows.push({
      scenario: 'page-weight',
      metric: `${pageType.type} page, HTML+CSS+JS gzip (heaviest of ${ofType.length})`,
      product: round(heaviest.pageGzip / 1024, 1),
      anchor: round(BUDGET.pageGzip / 1024, 1),
      unit: 'KB',
      ratio: round(heaviest.pageGzip / BUDGET.pageGzip),
      target: '≤ budget (30 KB page, 14 KB HTML)',
      pass: within,
      note: `${heaviest.path}: HTML ${kb(heaviest.htmlGzip)}, CSS ${kb(heaviest.cssGzip)}, JS ${kb(heaviest.jsGzip)}; heaviest HTML ${kb(heaviestHtml.htmlGzip)} (${heaviestHtml.path})`,
    })
  }
  for (const w of weights) {
    if (w.status !== 200) {
      console.error(`${w.path}: HTTP ${w.status}`)
      failed = true
    }
    if (w.htmlGzip > BUDGET.htmlGzip) {
      console.error(`${w.path}: HTML ${w.htmlGzip} B nén > ${BUDGET.htmlGzip} B`)
      failed = true
    }
    if (w.pageGzip > BUDGET.pageGzip) {
      console.error(`${w.path}: cả trang ${w.pageGzip} B nén > ${BUDGET.pageGzip} B`)
      failed = true
    }
  }
})

emitResults(rows)
process.exit(failed ? 1 : 0)
