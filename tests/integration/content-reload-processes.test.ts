// A content reload made through one server process reaches the other (docs/decisions/025,
// amendment "content reload"): two real processes (`npm start`) on one PostgreSQL, one release (one
// content folder, one compile cache), each with its anonymous page cache warm. A lesson's text
// changes, an administrator reloads through A, and B serves the new text — its cached anonymous
// copy too — within a bounded time. The version-row timer is set to an hour, so B can only have been
// told by NOTIFY on its LISTEN connection. A broken tree is then refused (the admin page and
// `npm run content:reload`, exit code 1) and both keep serving the last good content. Between the
// two, each process's LISTEN connection is ended by the server and a reload made from the CLI still
// reaches both (reconnection, and the check that follows it). PostgreSQL only:
// on PGlite one process is the only mode (tests/integration/content-reload.test.ts covers it).
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { userKeys } from '~/modules/auth/keys'
import { hashPassword } from '~/modules/auth/password.server'
import { openDatabase, type Database } from '~/utils/db.server'
import { FIXTURE_FILES, tempContentDir } from '../setup/content-fixture'
import { writeLearningFixture } from '../setup/learning-fixture'
import { createEmptyPostgresDatabase, REAL_POSTGRES_URL } from '../setup/test-database'
import { Browser, textOf } from '../setup/test-server'

/** This file's own ports (3451–3459: the content reload's). */
const PORTS = [3451, 3452] as const
const START = path.resolve('app/server/start.ts')
const CLI = path.resolve('app/server/cli.ts')
const LESSON = '/courses/khoa-thu/bai-mot'
const LESSON_FILE = 'courses/khoa-thu/01-bai-mot/index.mdx'
const ORIGINAL = FIXTURE_FILES[LESSON_FILE]!
const ADMIN = 'quan-tri@noi-dung.example'
const PASSWORD = 'Nap-lai-noi-dung-2026!'

interface Child {
  proc: ChildProcess
  base: string
  output: () => string
}
const spawned: ChildProcess[] = []

async function startProcess(port: number, env: Record<string, string>): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', START], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, PORT: String(port), HOST: '127.0.0.1' } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  spawned.push(proc)
  let output = ''
  proc.stdout!.on('data', (d) => (output += d))
  proc.stderr!.on('data', (d) => (output += d))
  const deadline = Date.now() + 240_000
  while (!output.includes('Bản Số đang chạy')) {
    if (proc.exitCode !== null) throw new Error(`server on ${port} exited (${proc.exitCode}): ${output}`)
    if (Date.now() > deadline) throw new Error(`server on ${port} did not start: ${output}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return { proc, base: `http://127.0.0.1:${port}`, output: () => output }
}

async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
  proc.kill('SIGTERM')
  const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000)
  await exited
  clearTimeout(timer)
}

/**
 * `npm run content:reload` as a child process, without blocking this process (a blocked event loop
 * would miss the servers closing idle keep-alive sockets, and the next fetch would hit a closed one).
 */
function runCli(env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'content-reload'], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } as unknown as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (d) => (stdout += d))
    child.stderr!.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000)
    child.once('error', reject)
    child.once('close', (status) => {
      clearTimeout(timer)
      resolve({ status, stdout, stderr })
    })
  })
}

/** The anonymous page twice: the second must be the cached copy (only a cached copy has an ETag). */
async function cachedLesson(base: string): Promise<string> {
  await (await fetch(base + LESSON)).text()
  const second = await fetch(base + LESSON)
  expect(second.status).toBe(200)
  expect(second.headers.get('etag')).toBeTruthy()
  return second.text()
}

describe.skipIf(!REAL_POSTGRES_URL)('a content reload through one process reaches the other (needs DATABASE_URL: on PGlite one process is the only mode)', () => {
  let a: Child
  let b: Child
  let db: Database
  let drop: () => Promise<void>
  let contentDir: string
  let env: Record<string, string>
  const dirs: string[] = []
  const writeLesson = (text: string) => fs.writeFileSync(path.join(contentDir, LESSON_FILE), text)
  const version = async () => (await db.withConnection((sql) => sql.query<{ version: number }>('SELECT version FROM content_version WHERE id = 1')))[0]?.version

  beforeAll(async () => {
    const created = await createEmptyPostgresDatabase()
    drop = created.drop
    contentDir = writeLearningFixture()
    const cacheDir = tempContentDir()
    dirs.push(contentDir, cacheDir)
    env = {
      DATABASE_URL: created.url,
      NODE_ENV: 'production',
      LOG_REQUESTS: 'false',
      CONTENT_DIR: contentDir,
      CONTENT_CACHE_DIR: cacheDir,
      // An hour: within this test only a notification can bring B the new version.
      CONTENT_CHECK_SECONDS: '3600',
      ARGON2_THREADS: '1',
      RATE_LIMIT_POSTS_PER_MINUTE_IP: '1000000',
      RATE_LIMIT_POSTS_PER_MINUTE_ACCOUNT: '1000000',
    }
    a = await startProcess(PORTS[0], env)
    b = await startProcess(PORTS[1], env)
    db = await openDatabase({ databaseUrl: created.url, pgliteDataDir: '', poolSize: 2 })
    const agency = await db.prisma.agency.findFirstOrThrow({ where: { isSample: false, parentId: null } })
    const fullName = 'Quản trị nội dung'
    const user = await db.prisma.user.create({ data: { email: ADMIN, fullName, kind: 'CIVIL_SERVANT', agencyId: agency.id, passwordHash: await hashPassword(PASSWORD), ...userKeys({ fullName, email: ADMIN }) } })
    await db.prisma.roleGrant.create({ data: { userId: user.id, role: 'ADMIN' } })
  }, 600_000)

  afterAll(async () => {
    await Promise.all(spawned.map(stopProcess))
    await db?.close()
    await drop?.()
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
  }, 120_000)

  it('a lesson changed and reloaded through A is served by B, its cached anonymous copy too, within a bounded time', async () => {
    expect(await version()).toBe(1)
    for (const base of [a.base, b.base]) expect(await cachedLesson(base)).not.toContain('BẢN-MỚI')
    writeLesson(ORIGINAL.replace('Nội dung bài một', 'Nội dung bài một BẢN-MỚI'))
    // Until the reload, neither process serves the edited file: they serve what they published.
    expect(await cachedLesson(b.base)).not.toContain('BẢN-MỚI')

    const admin = new Browser(a.base)
    expect((await admin.signIn(ADMIN, PASSWORD)).status).toBe(303)
    const preview = await admin.post('/admin/content', { intent: 'preview' })
    expect(preview.status).toBe(200)
    const html = await preview.text()
    expect(textOf(html)).toMatch(/Sửa\s*Bài\s*\/courses\/khoa-thu\/bai-mot/)
    const hash = /name="hash" value="([0-9a-f]{32})"/.exec(html)![1]!
    const applied = await admin.post('/admin/content', { intent: 'apply', hash, confirm: 'yes' })
    expect(applied.status).toBe(200)
    expect(textOf(await applied.text())).toContain('Đã nạp: phiên bản nội dung 2')
    expect(await version()).toBe(2)
    expect(await cachedLesson(a.base)).toContain('BẢN-MỚI')

    // Generous, only to stop a hang: B re-reads and validates the tree on two loaded cores.
    const deadline = Date.now() + 60_000
    let onB = ''
    while (Date.now() < deadline) {
      onB = await (await fetch(b.base + LESSON)).text()
      if (onB.includes('BẢN-MỚI')) break
      await new Promise((r) => setTimeout(r, 200))
    }
    expect(onB, b.output()).toContain('BẢN-MỚI')
    expect(await cachedLesson(b.base)).toContain('BẢN-MỚI')
    // B compiled nothing: A's compile of the edited lesson was in the shared cache folder.
    expect(b.output()).toMatch(/đã nạp phiên bản nội dung 2 \(1 khoá, 2 bài, biên dịch 0 tệp/)
  }, 180_000)

  it("the LISTEN connections ended by the server: both reconnect, and a reload made by npm run content:reload still reaches them", async () => {
    const ended = await db.withConnection((sql) =>
      sql.query<{ ended: boolean }>(`SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN "banso_content"'`),
    )
    // One LISTEN connection per process: A's and B's.
    expect(ended.map((r) => r.ended)).toEqual([true, true])
    writeLesson(ORIGINAL.replace('Nội dung bài một', 'Nội dung bài một BẢN-DÒNG-LỆNH'))
    const cli = await runCli(env)
    expect(cli.status, cli.stdout + cli.stderr).toBe(0)
    expect(cli.stdout).toContain('[nội dung] đã nạp: phiên bản nội dung 3.')
    expect(cli.stdout).toMatch(/sửa: bài khoa-thu\/bai-mot — Bài một/)
    for (const child of [a, b]) {
      const deadline = Date.now() + 60_000
      let page = ''
      while (Date.now() < deadline) {
        expect(child.proc.exitCode, child.output()).toBeNull()
        page = await (await fetch(child.base + LESSON)).text()
        if (page.includes('BẢN-DÒNG-LỆNH')) break
        await new Promise((r) => setTimeout(r, 200))
      }
      expect(page, child.output()).toContain('BẢN-DÒNG-LỆNH')
      expect(await cachedLesson(child.base)).toContain('BẢN-DÒNG-LỆNH')
    }
    expect(b.output()).toMatch(/kết nối LISTEN banso_content bị ngắt/)
  }, 240_000)

  it('a broken tree is refused (admin page and npm run content:reload) and both keep serving the last good content', async () => {
    writeLesson(ORIGINAL.replace('Nội dung bài một', 'Nội dung bài một BẢN-HỎNG').replace('<Callout type="tip">', '<KhongCo>'))
    const admin = new Browser(a.base)
    expect((await admin.signIn(ADMIN, PASSWORD)).status).toBe(303)
    const refused = await admin.post('/admin/content', { intent: 'preview' })
    expect(refused.status).toBe(422)
    expect(textOf(await refused.text())).toMatch(/Nội dung có \d+ lỗi: không nạp gì, nội dung cũ vẫn được phục vụ\./)

    const cli = await runCli(env)
    expect(cli.status, cli.stdout + cli.stderr).toBe(1)
    expect(cli.stderr).toContain('courses/khoa-thu/01-bai-mot/index.mdx')
    expect(cli.stderr).toMatch(/Nội dung có \d+ lỗi: không nạp, các máy chủ vẫn phục vụ nội dung cũ\./)

    expect(await version()).toBe(3)
    for (const base of [a.base, b.base]) {
      const page = await cachedLesson(base)
      expect(page).toContain('BẢN-DÒNG-LỆNH')
      expect(page).not.toContain('BẢN-HỎNG')
    }
  }, 240_000)
})
