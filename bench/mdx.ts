// Scenario 3: MDX.
// - Cold compile of the whole content tree (an empty MDX cache) vs a warm start of the same tree
//   (everything read from the cache): how much the cache saves at every later start.
// - Compiles per request after warm-up: every page of every course, twice, through the real HTTP
//   stack (production build) in this process, where compileCount() sees every compile. Target 0.
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { clearMemoryCache, compileCount } from '~/modules/content/compile.server'
import { contentConfig } from '~/modules/content/config.server'
import { prepareContent, setContentStore } from '~/modules/content/service.server'
import { createHttpApp } from '~/server/http'
import { parseEnv } from '~/utils/env.server'
import { emitResults, type BenchRow } from './result'
import { round, withCleanup } from './support'

const rows: BenchRow[] = []

await withCleanup(async (defer) => {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-bench-mdx-'))
  defer(() => fs.rmSync(cacheDir, { recursive: true, force: true }))
  // Images are not MDX: they are made into the app's usual media folder (kept between runs), so
  // the cold figure is the compile of MDX alone once they exist.
  const config = { ...contentConfig(), cacheDir }
  const cold = await prepareContent(config)
  clearMemoryCache() // as after a restart: the warm start reads the cache on disk
  const warm = await prepareContent(config)
  setContentStore(warm.store)
  defer(() => setContentStore(undefined))
  const files = cold.stats.compiles
  console.log(`Biên dịch nguội: ${files} tệp MDX trong ${cold.stats.ms} ms (${(cold.stats.ms / Math.max(1, files)).toFixed(0)} ms/tệp; ảnh tạo mới: ${cold.stats.images.generated}).`)
  console.log(`Khởi động ấm: ${warm.stats.compiles} lần biên dịch, ${warm.stats.ms} ms.`)
  rows.push({
    scenario: 'mdx',
    metric: 'cold compile of the whole content tree vs warm start',
    product: cold.stats.ms,
    anchor: warm.stats.ms,
    unit: 'ms',
    ratio: round(cold.stats.ms / Math.max(1, warm.stats.ms), 1),
    target: null,
    pass: null,
    note: `${files} MDX files, ${cold.stats.courses} courses, ${cold.stats.lessons} lessons; warm start compiled ${warm.stats.compiles}${cold.stats.images.generated ? `; cold run also made ${cold.stats.images.generated} images` : ''}`,
  })

  const app = await createHttpApp({ env: parseEnv({ LOG_REQUESTS: 'false' }), build: { kind: 'production', buildDir: path.resolve('build') } })
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  defer(() => new Promise((resolve) => server.close(resolve)))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const pages = ['/courses']
  for (const course of warm.store.courses) {
    pages.push(`/courses/${course.detail.slug}`)
    for (const lesson of course.lessons) pages.push(`/courses/${course.detail.slug}/${lesson.slug}`)
  }
  const before = compileCount()
  let requests = 0
  for (let round = 0; round < 2; round++) {
    for (const page of pages) {
      const r = await fetch(base + page)
      await r.arrayBuffer()
      if (r.status !== 200) throw new Error(`${page}: HTTP ${r.status}`)
      requests++
    }
  }
  const compiles = compileCount() - before
  console.log(`Sau khởi động: ${compiles} lần biên dịch trong ${requests} yêu cầu.`)
  rows.push({
    scenario: 'mdx',
    metric: 'MDX compiles during requests after warm-up',
    product: compiles,
    anchor: null,
    unit: 'compiles',
    ratio: null,
    target: '= 0',
    pass: compiles === 0,
    note: `${requests} requests: every course and lesson page, twice`,
  })
})

emitResults(rows)
process.exit(0)
