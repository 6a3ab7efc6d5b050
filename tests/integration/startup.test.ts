// The launcher as a person runs it (`npm start` = node --import tsx app/server/start.ts): bad configuration
// ends with one plain line and a non-zero exit; the embedded database keeps its data across
// a stop and a start.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '~/utils/db.server'
import { tempDir } from '../setup/test-database'

const START = path.resolve('app/server/start.ts')
/**
 * Exactly what `npm start` runs (package.json): the stop tests then cover the launcher too — a
 * launcher that relays signals (tsx's CLI gives its child 30 ms, then SIGKILLs it on a loaded
 * machine) would fail "stops with exit code 0".
 */
function npmStart(): { command: string; args: string[] } {
  const { scripts } = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { scripts: { start: string } }
  const [command, ...args] = scripts.start.trim().split(/\s+/)
  return { command: command === 'node' ? process.execPath : path.resolve('node_modules/.bin', command!), args: args.map((a) => (a === 'app/server/start.ts' ? START : a)) }
}

/** Only what the launcher reads: no DATABASE_URL from the outer environment leaks in. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_REQUESTS: 'false' }
  return { ...env, ...extra } as unknown as NodeJS.ProcessEnv // NODE_ENV left unset, as in `npm start`
}

async function runToExit(extra: Record<string, string>) {
  const child = spawn(npmStart().command, npmStart().args, { env: cleanEnv(extra), stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  return { code, stdout, stderr }
}

function expectOneClearLine(stderr: string, mustContain: RegExp) {
  const lines = stderr.trim().split('\n')
  expect(lines, stderr).toHaveLength(1)
  expect(lines[0]).toMatch(mustContain)
  expect(stderr).not.toMatch(/^\s+at /m) // no stack trace
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port
      server.close(() => resolve(port))
    })
  })
}

describe('bad configuration: one clear line, exit code 1', () => {
  it('an unparseable DATABASE_URL', async () => {
    const r = await runToExit({ DATABASE_URL: 'this is not a url' })
    expect(r.code).toBe(1)
    expectOneClearLine(r.stderr, /^Cấu hình sai: DATABASE_URL không phải địa chỉ PostgreSQL hợp lệ/)
  })

  it('a DATABASE_URL of another kind of database', async () => {
    const r = await runToExit({ DATABASE_URL: 'mysql://root@127.0.0.1/x' })
    expect(r.code).toBe(1)
    expectOneClearLine(r.stderr, /DATABASE_URL/)
  })

  it('an unreachable database: waits DB_START_RETRY_SECONDS, saying so, then one clear line', async () => {
    const port = await freePort() // nothing listens there
    const r = await runToExit({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/banso`, DB_START_RETRY_SECONDS: '2' })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(new RegExp(`\\[db\\] đang chờ PostgreSQL tại 127\\.0\\.0\\.1:${port}/banso \\(ECONNREFUSED\\); thử lại`))
    expectOneClearLine(r.stderr, new RegExp(`Không kết nối được PostgreSQL tại 127\\.0\\.0\\.1:${port}.*ECONNREFUSED`))
  })

  it('an unwritable data folder for the embedded database', async () => {
    const file = path.join(tempDir('unwritable'), 'a-file')
    fs.writeFileSync(file, 'not a folder')
    const r = await runToExit({ PGLITE_DATA_DIR: path.join(file, 'pglite') })
    expect(r.code).toBe(1)
    expectOneClearLine(r.stderr, /Thư mục dữ liệu PGlite không ghi được: .*a-file\/pglite \(ENOTDIR\)/)
  })

  it('several bad variables: one line each', async () => {
    const r = await runToExit({ PORT: 'tám nghìn', SEED_DEMO: 'có' })
    expect(r.code).toBe(1)
    const lines = r.stderr.trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines.some((l) => l.startsWith('Cấu hình sai: PORT'))).toBe(true)
    expect(lines.some((l) => l.startsWith('Cấu hình sai: SEED_DEMO phải là true hoặc false'))).toBe(true)
    expect(r.stderr).not.toMatch(/^\s+at /m)
  })
})

describe('the embedded database across restarts', () => {
  let child: ChildProcess | undefined
  afterEach(() => {
    child?.kill('SIGKILL')
    child = undefined
  })

  async function startServer(dataDir: string, port: number) {
    const proc = spawn(npmStart().command, npmStart().args, {
      env: cleanEnv({ PGLITE_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child = proc
    let output = ''
    proc.stdout!.on('data', (d) => (output += d))
    proc.stderr!.on('data', (d) => (output += d))
    // Generous: on two busy cores a PGlite start with content took more than 90 s, and a first
    // start (initdb, migrations, seed, every lesson compiled into an empty cache while
    // content:check compiled the same) more than 240 s at a load average of 20.
    const deadline = Date.now() + 480_000
    while (!output.includes('Bản Số đang chạy')) {
      if (proc.exitCode !== null) throw new Error(`server exited: ${output}`)
      if (Date.now() > deadline) throw new Error(`server did not start: ${output}`)
      await new Promise((r) => setTimeout(r, 100))
    }
    return { proc, output: () => output }
  }

  async function stopServer(proc: ChildProcess) {
    const exited = new Promise<number | null>((resolve) => proc.on('exit', resolve))
    proc.kill('SIGTERM')
    expect(await exited).toBe(0)
    child = undefined
  }

  it('serves the home page and /healthz with no PostgreSQL, and keeps its data after a stop and a start', async () => {
    const dataDir = tempDir('restart')
    const port = await freePort()
    const first = await startServer(dataDir, port)
    expect(first.output()).toContain('[seed] đã tạo 124 đơn vị')
    const health = await fetch(`http://127.0.0.1:${port}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: 'ok', database: 'pglite' })
    const home = await fetch(`http://127.0.0.1:${port}/`)
    expect(home.status).toBe(200)
    expect(await home.text()).toContain('Hệ thống đã có 120 đơn vị của tỉnh')
    await stopServer(first.proc)

    // While it is stopped, add an agency straight into its files.
    const db = await openDatabase({ pgliteDataDir: dataDir })
    await db.prisma.agency.create({
      data: { code: 'TEST-PERSIST', name: 'Ban Thử nghiệm lưu dữ liệu', type: 'DEPARTMENT', parent: { connect: { code: 'LC' } } },
    })
    await db.close()

    const second = await startServer(dataDir, port)
    expect(second.output()).not.toContain('[seed]') // nothing to seed: the data is there
    const again = await fetch(`http://127.0.0.1:${port}/`)
    expect(await again.text()).toContain('Hệ thống đã có 121 đơn vị của tỉnh')
    await stopServer(second.proc)
  }, 1_080_000)
})
