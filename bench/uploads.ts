// Scenario: uploads (issue 23, docs/decisions/017).
// - The lesson page's p95 while six accounts keep uploading rosters to /staff/import — three
//   decompression bombs (a 300 MB sheet in a file under 1 MB, twice, and a 200 MB shared-strings
//   table) and three honest 10,000-row XLSX files — vs its quiet p95 in the same run. Target: within 2×.
// - The server's peak RSS during those uploads vs at rest. Target: at most 256 MB more.
// Every bomb must be refused (413) and every honest file previewed (303), else the row fails.
import http from 'node:http'
import { rosterXlsx, sharedStringsBomb, sheetBomb } from '../tests/setup/xlsx-fixtures'
import { emitResults, type BenchRow } from './result'
import { benchLessonPath, createBenchDatabase, createLearners, load, round, signInCookie, startApp, withCleanup } from './support'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)

/**
 * A multipart upload on a connection of its own (node:http, no keep-alive): fetch's pooled
 * connections were now and then reused just as the server closed them (EPIPE), failing the run.
 */
function postFile(url: string, cookie: string, origin: string, name: string, bytes: Uint8Array): Promise<number> {
  const boundary = `----banso${Math.random().toString(16).slice(2)}`
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`),
    Buffer.from(bytes),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      agent: false,
      headers: { Cookie: cookie, Origin: origin, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': body.length },
    })
    request.on('response', (response) => {
      response.resume()
      response.on('end', () => resolve(response.statusCode ?? 0))
    })
    request.on('error', reject)
    request.end(body)
  })
}
const CONNECTIONS = 4
const rows: BenchRow[] = []

await withCleanup(async (defer) => {
  const database = await createBenchDatabase()
  defer(() => database.drop())
  // Six admins (any admin may import a roster); one file each, so no upload waits for its own account.
  const accounts = await createLearners(database.url, 6, { admins: 6 })
  const app = await startApp({ databaseUrl: database.url })
  defer(() => app.stop())
  const cookies = await Promise.all(accounts.map((a) => signInCookie(app.base, a)))
  const files = [
    { name: 'bom-1.xlsx', bytes: sheetBomb({ inflatedMb: 300 }), expect: 413 },
    { name: 'bom-2.xlsx', bytes: sheetBomb({ inflatedMb: 300 }), expect: 413 },
    { name: 'bom-3.xlsx', bytes: sharedStringsBomb(200), expect: 413 },
    { name: 'ds-1.xlsx', bytes: rosterXlsx(10_000, 'LC-X-BACHA', 'BA'), expect: 303 },
    { name: 'ds-2.xlsx', bytes: rosterXlsx(10_000, 'LC-X-BACHA', 'BB'), expect: 303 },
    { name: 'ds-3.xlsx', bytes: rosterXlsx(10_000, 'LC-X-BACHA', 'BC'), expect: 303 },
  ]
  const upload = async (i: number) => {
    const file = files[i]!
    const started = performance.now()
    try {
      const status = await postFile(`${app.base}/staff/import`, cookies[i]!, app.base, file.name, file.bytes)
      return { status, ok: status === file.expect, ms: performance.now() - started }
    } catch (error) {
      console.log(`${file.name}: ${(error as Error).message}`)
      return { status: 0, ok: false, ms: performance.now() - started }
    }
  }
  // Each file once alone first: the honest one is really previewed, the bombs really refused.
  for (let i = 0; i < files.length; i++) {
    const once = await upload(i)
    console.log(`${files[i]!.name} (${Math.round(files[i]!.bytes.length / 1024)} KB) một mình: HTTP ${once.status} sau ${once.ms.toFixed(0)} ms`)
    if (!once.ok) throw new Error(`${files[i]!.name}: HTTP ${once.status}, chờ ${files[i]!.expect}`)
  }

  const lesson = { url: app.base + benchLessonPath(), connections: CONNECTIONS }
  const restRss = app.rss()
  const quiet = await load({ ...lesson, seconds: SECONDS })
  // The six uploaders keep sending their file until the measured window (warm-up included) ends.
  let stop = false
  let peakRss = app.rss()
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, app.rss())), 50)
  const outcomes: { status: number; ok: boolean; ms: number; file: number }[] = []
  const uploaders = files.map(async (_f, i) => {
    while (!stop) outcomes.push({ ...(await upload(i)), file: i })
  })
  const underUploads = await load({ ...lesson, seconds: SECONDS })
  stop = true
  await Promise.all(uploaders)
  clearInterval(sampler)

  const wrong = outcomes.filter((o) => !o.ok)
  const bombs = outcomes.filter((o) => o.file < 3)
  const honest = outcomes.filter((o) => o.file >= 3)
  const p = (list: number[], q: number) => list.sort((a, b) => a - b)[Math.max(0, Math.ceil(q * list.length) - 1)] ?? NaN
  console.log(`Bài học p95: yên ${quiet.p95.toFixed(1)} ms; khi tải tệp lên ${underUploads.p95.toFixed(1)} ms`)
  console.log(`Trong lúc đo: ${bombs.length} bom (mã ${[...new Set(bombs.map((o) => o.status))].join(', ')}), ${honest.length} tệp 10.000 dòng (mã ${[...new Set(honest.map((o) => o.status))].join(', ')}); tệp thật p50 ${p(honest.map((o) => o.ms), 0.5).toFixed(0)} ms`)
  console.log(`RSS máy chủ: nghỉ ${(restRss / 1024 / 1024).toFixed(0)} MB, cao nhất khi tải lên ${(peakRss / 1024 / 1024).toFixed(0)} MB`)
  const slowdown = underUploads.p95 / quiet.p95
  rows.push({
    scenario: 'uploads',
    metric: 'lesson p95 while 3 bombs and 3 honest 10,000-row XLSX are uploaded vs quiet p95',
    product: round(underUploads.p95, 1),
    anchor: round(quiet.p95, 1),
    unit: 'ms',
    ratio: round(slowdown),
    target: '≤ 2.00× anchor',
    pass: slowdown <= 2 && underUploads.bad === 0 && wrong.length === 0 && bombs.length > 0 && honest.length > 0,
    note: `${bombs.length} bombs refused, ${honest.length} rosters previewed during the window${wrong.length ? `; ${wrong.length} wrong answers: ${JSON.stringify(wrong.slice(0, 3))}` : ''}; lesson ${round(quiet.rps, 0)} → ${round(underUploads.rps, 0)} req/s`,
  })
  const growthMb = (peakRss - restRss) / 1024 / 1024
  rows.push({
    scenario: 'uploads',
    metric: 'server peak RSS during those uploads vs at rest',
    product: round(peakRss / 1024 / 1024, 0),
    anchor: round(restRss / 1024 / 1024, 0),
    unit: 'MB',
    ratio: round(peakRss / restRss),
    target: '≤ anchor + 256 MB',
    pass: growthMb <= 256,
    note: `+${round(growthMb, 0)} MB (before issue 23 one bomb alone took the server from ≈ 400 MB to 1.3 GB)`,
  })
})

emitResults(rows)
process.exit(0)
