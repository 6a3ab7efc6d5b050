// `npm run bench:page-weight`: compiles the content cold (a fresh cache), serves the production
// build, fetches every lesson page (and the catalogue and course pages), and prints each page's
// weight against the budget, the largest first. Exit code 1 when a page breaks the budget.
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { compileCount } from '~/modules/content/compile.server'
import { contentConfig } from '~/modules/content/config.server'
import { prepareContent, setContentStore } from '~/modules/content/service.server'
import { createHttpApp } from '~/server/http'
import { parseEnv } from '~/utils/env.server'
import { BUDGET, measurePage, overBudget, type PageWeight } from './page-weight-lib'

if (!fs.existsSync('build/server/index.js')) {
  console.error('Chưa có bản build: chạy "npm run build" trước.')
  process.exit(1)
}

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-bench-'))
process.env.CONTENT_CACHE_DIR = cacheDir
const config = contentConfig()
const cold = await prepareContent(config)
const warm = await prepareContent(config)
setContentStore(warm.store)

const app = await createHttpApp({ env: parseEnv({ LOG_REQUESTS: 'false' }), build: { kind: 'production', buildDir: path.resolve('build') } })
const server = app.listen(0, '127.0.0.1')
await new Promise((resolve) => server.once('listening', resolve))
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

const before = compileCount()
const pages: string[] = ['/courses']
for (const course of warm.store.courses) {
  pages.push(`/courses/${course.detail.slug}`)
  for (const lesson of course.lessons) pages.push(`/courses/${course.detail.slug}/${lesson.slug}`)
}
const weights: PageWeight[] = []
for (const page of pages) weights.push(await measurePage(base, page))
const compilesDuringRequests = compileCount() - before
server.close()
fs.rmSync(cacheDir, { recursive: true, force: true })

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
const pct = (n: number, of: number) => `${Math.round((100 * n) / of)}%`
console.log(`Biên dịch MDX: ${cold.stats.compiles} khi nguội (${cold.stats.ms} ms), ${warm.stats.compiles} khi khởi động lại, ${compilesDuringRequests} trong ${pages.length} yêu cầu.`)
console.log(`Ảnh/tệp tạo mới: ${cold.stats.images.generated}.`)
console.log(`Ngân sách: HTML ${kb(BUDGET.htmlGzip)} nén, cả trang (HTML+CSS+JS, không ảnh) ${kb(BUDGET.pageGzip)} nén.\n`)
console.log(['trang', 'HTML', 'HTML nén', '/14 KB', 'CSS nén', 'JS nén', 'cả trang nén', '/30 KB'].join('\t'))
for (const w of [...weights].sort((a, b) => b.htmlGzip - a.htmlGzip)) {
  console.log([w.path, kb(w.htmlBytes), kb(w.htmlGzip), pct(w.htmlGzip, BUDGET.htmlGzip), kb(w.cssGzip), kb(w.jsGzip), kb(w.pageGzip), pct(w.pageGzip, BUDGET.pageGzip)].join('\t'))
}
const lessons = weights.filter((w) => w.path.split('/').length === 4)
const largest = [...lessons].sort((a, b) => b.htmlGzip - a.htmlGzip)[0]
if (largest) console.log(`\nBài học nặng nhất: ${largest.path} — HTML ${kb(largest.htmlGzip)} nén (${pct(largest.htmlGzip, BUDGET.htmlGzip)} ngân sách), cả trang ${kb(largest.pageGzip)} (${pct(largest.pageGzip, BUDGET.pageGzip)}).`)
const problems = weights.flatMap(overBudget)
const failed = weights.filter((w) => w.status !== 200).map((w) => `${w.path}: HTTP ${w.status}`)
if (problems.length || failed.length || compilesDuringRequests > 0) {
  for (const p of [...failed, ...problems]) console.error(p)
  if (compilesDuringRequests > 0) console.error(`${compilesDuringRequests} lần biên dịch MDX trong lúc phục vụ yêu cầu (phải là 0).`)
  process.exit(1)
}
process.exit(0)
