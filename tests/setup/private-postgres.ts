// A PostgreSQL server of the test's own (initdb in a temp folder, a free port), so a test may stop
// and restart it: the system PostgreSQL is shared with every other suite and is never touched.
// Needs the server binaries (/usr/lib/postgresql/<version>/bin, Debian's postgresql package, which
// .ci/run installs) and, when run as root, the `postgres` OS user (PostgreSQL refuses to run as root).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import { freePort } from './free-port'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'

export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql'
  if (!fs.existsSync(root)) return null
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] ? path.join(root, versions[0], 'bin') : null
}

/** Why a private server cannot be made here, or null when it can. */
export function privatePostgresUnavailable(): string | null {
  if (!postgresBinDir()) return 'no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql)'
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' })
    } catch {
      return 'running as root without a "postgres" OS user to run the server as'
    }
  }
  return null
}

export interface PrivatePostgres {
  port: number
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database: string): string
  createDatabase(name: string): Promise<void>
  start(): void
  /** Fast shutdown: open connections are ended, as in a crash-free restart. */
  stop(): void
  dispose(): void
  log(): string
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir()!
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'banso-private-pg-'))
  const asRoot = process.getuid?.() === 0
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir])
  const run = (tool: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args], { stdio: 'pipe', timeout: 60_000 })
      : execFileSync(path.join(bin, tool), args, { stdio: 'pipe', timeout: 60_000 })
  const data = path.join(dir, 'data')
  const logFile = path.join(dir, 'server.log')
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync'])
  const port = await freePort()
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off`
  const handle: PrivatePostgres = {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async createDatabase(name) {
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' })
      await client.connect()
      try {
        await client.query(`CREATE DATABASE "${name}"`)
      } finally {
        await client.end()
      }
    },
    start: () => void run('pg_ctl', ['-D', data, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']),
    stop: () => void run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']),
    dispose() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true })
    },
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
  }
  handle.start()
  return handle
}
