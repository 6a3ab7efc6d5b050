// Bad content stops start-up with one clear line (as a bad configuration does), and
// `npm run content:check` lists every problem with its file and line.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { FIXTURE_FILES, tempContentDir, writeContentFixture } from '../setup/content-fixture'
import { tempDir } from '../setup/test-database'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

function run(script: string, extra: Record<string, string>) {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_REQUESTS: 'false', ...extra } as unknown as NodeJS.ProcessEnv
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })))
}

function broken() {
  const lesson = 'courses/khoa-thu/01-bai-mot/index.mdx'
  const root = writeContentFixture({
    'courses/khoa-thu/course.mdx': FIXTURE_FILES['courses/khoa-thu/course.mdx']!.replace('passMark: 70', 'passMark: 150'),
    [lesson]: FIXTURE_FILES[lesson]!.replace('<Callout type="tip">', '<Quiz />\n\n<Callout type="tip">'),
  })
  dirs.push(root)
  return root
}

describe('content at start-up', () => {
  it('bad content stops `npm start` with one line naming the file, line and field', async () => {
    const cache = tempContentDir()
    const data = tempDir('content-start')
    dirs.push(cache, data)
    const r = await run('app/server/start.ts', { CONTENT_DIR: broken(), CONTENT_CACHE_DIR: cache, PGLITE_DATA_DIR: data, PORT: '3299' })
    expect(r.code).toBe(1)
    const lines = r.stderr.trim().split('\n')
    expect(lines, r.stderr).toHaveLength(1)
    expect(lines[0]).toMatch(/^Không khởi động được: nội dung khoá học có 2 lỗi \(xem tất cả: npm run content:check\): /)
    expect(lines[0]).toMatch(/khoa-thu\/01-bai-mot\/index\.mdx:12: thành phần MDX không được biết: <Quiz>/)
    expect(lines[0]).toMatch(/khoa-thu\/course\.mdx:9: passMark: không được lớn hơn 100/)
    expect(r.stderr).not.toMatch(/^\s+at /m)
    // A whole `npm start` (tsx, content compile, PGlite): minutes on two busy cores.
  }, 240_000)
})

describe('npm run content:check', () => {
  it('lists every problem, one per line, and exits 1', async () => {
    const r = await run('app/modules/content/cli.server.ts', { CONTENT_DIR: broken(), CONTENT_CACHE_DIR: tempContentDir() })
    expect(r.code).toBe(1)
    const lines = r.stderr.trim().split('\n')
    expect(lines[0]).toMatch(/01-bai-mot\/index\.mdx:12: thành phần MDX không được biết: <Quiz>/)
    expect(lines[1]).toMatch(/course\.mdx:9: passMark: không được lớn hơn 100$/)
    expect(lines.at(-1)).toBe('Nội dung có 2 lỗi.')
  })

  it('passes on good content and says what it compiled', async () => {
    const cache = tempContentDir()
    const root = writeContentFixture()
    dirs.push(cache, root)
    const r = await run('app/modules/content/cli.server.ts', { CONTENT_DIR: root, CONTENT_CACHE_DIR: cache })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Nội dung hợp lệ: 1 khoá, 2 bài .*Biên dịch 3 tệp MDX, 1 tệp ảnh\/tải về mới/)
  })
})
