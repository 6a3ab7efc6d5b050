// Scenarios 1 and 6: lesson page throughput and latency, and the server's resident memory.
//
// The product: one lesson page of the production build, anonymous and signed in, gzip on.
// The anchors, measured in the same run on the same machine:
// - nginx serving the saved HTML of that same page (the physical limit of one process here),
// - a bare Remix resource route returning a short string through the same Express stack (the
//   framework's floor: headers, CSP nonce, Origin check, compression, Remix's request handling).
// Targets (issue 10): anonymous lesson ≥ 80 % of the bare route's requests/s; signed-in ≥ 60 %.
// Then the memory: the server's RSS after that load (anchor: its RSS when idle right after start),
// and the same load on the embedded database (PGlite) in a fresh server.
import { emitResults, type BenchRow } from './result'
import {
  benchLessonPath,
  createBenchDatabase,
  createLearners,
  ensureNginx,
  load,
  round,
  signInCookie,
  startApp,
  startNginx,
  withCleanup,
  type LoadResult,
} from './support'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const CONNECTIONS = 8
const lesson = benchLessonPath()
const rows: BenchRow[] = []
const mb = (bytes: number) => round(bytes / 1024 / 1024, 1)

function show(name: string, r: LoadResult) {
  const bad = r.bad > 0 ? `, ${r.bad} lỗi/khác mã (${JSON.stringify(r.statuses)})` : ''
  console.log(`${name.padEnd(34)} ${r.rps.toFixed(0).padStart(6)} yêu cầu/s   p50 ${r.p50.toFixed(1)} ms   p95 ${r.p95.toFixed(1)} ms   p99 ${r.p99.toFixed(1)} ms${bad}`)
}

function ratioRow(metric: string, product: LoadResult, anchor: LoadResult | null, target: number | null, note: string): BenchRow {
  const ratio = anchor ? product.rps / anchor.rps : null
  return {
    scenario: 'lesson',
    metric,
    product: round(product.rps, 0),
    anchor: anchor ? round(anchor.rps, 0) : null,
    unit: 'req/s',
    ratio: ratio === null ? null : round(ratio),
    target: target === null ? null : `≥ ${target.toFixed(2)} of anchor`,
    pass: target === null || ratio === null ? null : ratio >= target && product.bad === 0,
    note: `${note}; p50/p95/p99 ${product.p50.toFixed(1)}/${product.p95.toFixed(1)}/${product.p99.toFixed(1)} ms${product.bad ? `; ${product.bad} bad responses` : ''}`,
  }
}

/** A signed-in page's p95 against an anonymous one's (issue 21: at most 3×). */
function p95Row(metric: string, product: LoadResult, anchor: LoadResult): BenchRow {
  const ratio = product.p95 / anchor.p95
  return {
    scenario: 'lesson',
    metric,
    product: round(product.p95, 1),
    anchor: round(anchor.p95, 1),
    unit: 'ms',
    ratio: round(ratio),
    target: '≤ 3.00× anchor',
    pass: ratio <= 3 && product.bad === 0,
    note: `${round(product.rps, 0)} vs ${round(anchor.rps, 0)} req/s; p50 ${product.p50.toFixed(1)} vs ${anchor.p50.toFixed(1)} ms`,
  }
}

await withCleanup(async (defer) => {
  console.log(`Trang bài học: ${lesson}; ${CONNECTIONS} kết nối, khởi động 2 s rồi đo ${SECONDS} s mỗi lượt, gzip.`)
  const database = await createBenchDatabase()
  defer(() => database.drop())
  const [account] = await createLearners(database.url, 1)
  const app = await startApp({ databaseUrl: database.url })
  defer(() => app.stop())
  const idleRss = app.rss()

  // The saved HTML of the same page, as an anonymous visitor gets it.
  const page = await fetch(app.base + lesson)
  if (page.status !== 200) throw new Error(`${lesson}: HTTP ${page.status}`)
  const html = await page.text()
  const cookie = await signInCookie(app.base, account!)
  // A learner part-way through: enrolled, this lesson done (the page shows "done" and the offline tools).
  const course = lesson.split('/').slice(0, 3).join('/')
  for (const [path, intent] of [[course, 'enrol'], [lesson, 'done']] as const) {
    const r = await fetch(app.base + path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: app.base, Cookie: cookie }, body: new URLSearchParams({ intent }), redirect: 'manual' })
    if (r.status !== 302) throw new Error(`${path} (${intent}): HTTP ${r.status}`)
  }

  let nginx: LoadResult | null = null
  const binary = ensureNginx((line) => console.log(line))
  if (binary) {
    const server = await startNginx(binary, html)
    nginx = await load({ url: `${server.base}/`, connections: CONNECTIONS, seconds: SECONDS })
    await server.stop()
    show('nginx, HTML đã lưu', nginx)
  }
  const bare = await load({ url: `${app.base}/bench/bare`, connections: CONNECTIONS, seconds: SECONDS })
  show('route Remix trần (/bench/bare)', bare)
  const anonymous = await load({ url: app.base + lesson, connections: CONNECTIONS, seconds: SECONDS })
  show('bài học, khách', anonymous)
  const signedIn = await load({ url: app.base + lesson, connections: CONNECTIONS, seconds: SECONDS, headers: { Cookie: cookie } })
  show('bài học, học viên đã đăng nhập', signedIn)
  const anonymousCourse = await load({ url: app.base + course, connections: CONNECTIONS, seconds: SECONDS })
  show('trang khoá học, khách', anonymousCourse)
  const signedInCourse = await load({ url: app.base + course, connections: CONNECTIONS, seconds: SECONDS, headers: { Cookie: cookie } })
  show('trang khoá học, đã đăng nhập', signedInCourse)
  const myLearning = await load({ url: `${app.base}/learning`, connections: CONNECTIONS, seconds: SECONDS, headers: { Cookie: cookie } })
  show('Học tập của tôi', myLearning)
  // Latency at a set, moderate load (the service time, without the queue of a saturated server).
  const RATE = Number(process.env.BENCH_RATE ?? 50)
  const atRate = async (url: string, headers?: Record<string, string>) => load({ url: app.base + url, connections: 4, seconds: SECONDS, rate: RATE, headers })
  const anonymousAtRate = await atRate(lesson)
  show(`bài học, khách, ${RATE}/s`, anonymousAtRate)
  const signedInAtRate = await atRate(lesson, { Cookie: cookie })
  show(`bài học, đã đăng nhập, ${RATE}/s`, signedInAtRate)
  const courseAtRate = await atRate(course, { Cookie: cookie })
  show(`trang khoá học, đã đăng nhập, ${RATE}/s`, courseAtRate)
  const learningAtRate = await atRate('/learning', { Cookie: cookie })
  show(`Học tập của tôi, ${RATE}/s`, learningAtRate)
  const loadedRss = app.rss()

  rows.push(ratioRow('anonymous lesson vs bare Remix route', anonymous, bare, 0.8, `${lesson}, ${CONNECTIONS} connections, ${SECONDS} s`))
  rows.push(ratioRow('signed-in lesson vs bare Remix route', signedIn, bare, 0.6, 'enrolled, lesson done; session and progress read per request'))
  rows.push(ratioRow('signed-in course page vs bare Remix route', signedInCourse, bare, 0.6, `${course}, enrolled, one lesson done`))
  rows.push(ratioRow('My learning vs bare Remix route', myLearning, bare, 0.6, '/learning, one enrolment'))
  rows.push(p95Row('p95, signed-in lesson vs anonymous lesson', signedIn, anonymous))
  rows.push(p95Row('p95, signed-in course page vs anonymous course page', signedInCourse, anonymousCourse))
  rows.push(p95Row('p95, My learning vs anonymous lesson', myLearning, anonymous))
  rows.push(p95Row(`p95 at ${RATE} req/s, signed-in lesson vs anonymous lesson`, signedInAtRate, anonymousAtRate))
  rows.push(p95Row(`p95 at ${RATE} req/s, signed-in course page vs anonymous lesson`, courseAtRate, anonymousAtRate))
  rows.push(p95Row(`p95 at ${RATE} req/s, My learning vs anonymous lesson`, learningAtRate, anonymousAtRate))
  rows.push(
    nginx
      ? ratioRow('anonymous lesson vs nginx (saved HTML)', anonymous, nginx, null, `nginx: 1 process, gzip level 6; bare route is ${round(bare.rps / nginx.rps)} of nginx`)
      : { scenario: 'lesson', metric: 'anonymous lesson vs nginx (saved HTML)', product: round(anonymous.rps, 0), anchor: null, unit: 'req/s', ratio: null, target: null, pass: null, note: 'nginx not available' },
  )
  rows.push({
    scenario: 'lesson',
    metric: 'p95 latency, anonymous lesson vs bare route',
    product: round(anonymous.p95, 1),
    anchor: round(bare.p95, 1),
    unit: 'ms',
    ratio: round(anonymous.p95 / bare.p95),
    target: null,
    pass: null,
    note: `signed-in p95 ${signedIn.p95.toFixed(1)} ms${nginx ? `, nginx p95 ${nginx.p95.toFixed(1)} ms` : ''}`,
  })
  rows.push({
    scenario: 'memory',
    metric: 'server RSS after the lesson load (PostgreSQL)',
    product: mb(loadedRss),
    anchor: mb(idleRss),
    unit: 'MB',
    ratio: round(loadedRss / idleRss),
    target: null,
    pass: null,
    note: 'anchor: the same server idle, right after start',
  })
  await app.stop()

  // The embedded database: a fresh folder, the same anonymous load, then the RSS.
  const embedded = await startApp({})
  defer(() => embedded.stop())
  const embeddedIdle = embedded.rss()
  const onPglite = await load({ url: embedded.base + lesson, connections: CONNECTIONS, seconds: SECONDS })
  show('bài học, khách, PGlite', onPglite)
  const embeddedRss = embedded.rss()
  rows.push({
    scenario: 'memory',
    metric: 'server RSS after the lesson load (PGlite)',
    product: mb(embeddedRss),
    anchor: mb(loadedRss),
    unit: 'MB',
    ratio: round(embeddedRss / loadedRss),
    target: null,
    pass: null,
    note: `anchor: the PostgreSQL-mode server after the same load; PGlite idle ${mb(embeddedIdle)} MB; ${round(onPglite.rps, 0)} req/s`,
  })
  console.log(`RSS: PostgreSQL ${mb(idleRss)} MB khi rỗi → ${mb(loadedRss)} MB sau tải; PGlite ${mb(embeddedIdle)} → ${mb(embeddedRss)} MB.`)
})

emitResults(rows)
process.exit(0)
