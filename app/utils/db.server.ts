// The database of the process, in one of two modes with one schema (docs/decisions/003-pglite.md):
// - DATABASE_URL set  → real PostgreSQL;
// - DATABASE_URL unset → PGlite (PostgreSQL compiled to WASM) with its files in a local folder,
//   served in-process on a Unix socket by @electric-sql/pglite-socket.
// Both modes then use the same driver (node-postgres) and the same Prisma adapter
// (@prisma/adapter-pg): one code path for queries, types and error codes (a unique violation is
// P2002 in both), so what passes on one passes on the other.
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from '@prisma/client'
import pg from 'pg'
import { getSingleton, setSingleton } from './singleton.server'

/** A plain SQL connection, for migrations, seeds, reports and health checks. */
export interface Sql {
  /** prepare: as a named statement, parsed and planned once per connection (see plainQuery). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[], options?: { prepare?: boolean }): Promise<T[]>
  /** Runs a script of several statements (no parameters). */
  exec(script: string): Promise<void>
}

export type DbMode = 'postgres' | 'pglite'

export interface Database {
  readonly mode: DbMode
  readonly prisma: PrismaClient
  /** Runs fn on one connection held for its duration (needed for BEGIN … COMMIT). */
  withConnection<T>(fn: (sql: Sql) => Promise<T>): Promise<T>
  /**
   * LISTEN on a channel over a dedicated connection of its own, kept open and reconnected (with
   * onReconnect called after each reconnection: notifications sent meanwhile are lost). PostgreSQL
   * only — it must reach the server directly (DATABASE_LISTEN_URL), never through PgBouncer in
   * transaction mode, which gives a LISTEN no session to stay on; null on PGlite (one process).
   */
  listen(channel: string, onNotification: (payload: string) => void, options?: ListenOptions): Promise<Listener | null>
  close(): Promise<void>
}

export interface ListenOptions {
  onReconnect?: () => void
  /** The connection was lost (before any reconnection): notifications are not arriving now. */
  onLost?: () => void
  warn?: (line: string) => void
}

export interface Listener {
  close(): Promise<void>
}

/** The pool behind each Prisma client opened here (both modes: PGlite is served through a pool too). */
const pools = new WeakMap<PrismaClient, pg.Pool>()
/** Pools on which statements are never named (PGlite: see openPool). */
const unnamedOnly = new WeakSet<pg.Pool>()

/**
 * One read statement sent straight through node-postgres, on the pool behind `db`: Prisma's own
 * work per query (its engine, its result mapping) cost 8–17 ms per query on the loaded machine
 * against 0.6 ms for the same `SELECT 1` on node-postgres (docs/decisions/016). The same pool, so
 * the same connections, limits and queueing in both modes (PGlite's one connection included).
 * A client this module did not open (a test double) runs it through Prisma instead.
 */
export async function plainQuery<T>(db: PrismaClient, statement: { text: string; values: unknown[] }, { prepare = false }: { prepare?: boolean } = {}): Promise<T[]> {
  const pool = pools.get(db)
  if (!pool) return db.$queryRawUnsafe<T[]>(statement.text, ...statement.values)
  // prepare: a named statement (its name is its text's hash), parsed once per connection; the
  // server may then keep a generic plan (the report's statement spent 10+ ms planning per request).
  return (await pool.query({ text: statement.text, values: statement.values, name: prepare && !unnamedOnly.has(pool) ? statementName(statement.text) : undefined })).rows as T[]
}

const statementNames = new Map<string, string>()
/** A prepared statement's name: its text's hash (computed once per text). */
function statementName(text: string): string {
  let name = statementNames.get(text)
  if (!name) {
    if (statementNames.size >= 1000) statementNames.clear() // texts are fixed: this only bounds a mistake
    statementNames.set(text, (name = `q${createHash('sha1').update(text).digest('hex').slice(0, 24)}`))
  }
  return name
}

/** A start-up failure that has one plain line to say; the launcher prints it without a stack. */
export class DatabaseOpenError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DatabaseOpenError'
  }
}

export interface OpenOptions {
  databaseUrl?: string
  pgliteDataDir: string
  connectTimeoutMs?: number
  /** Largest number of connections in the pool (real PostgreSQL only). */
  poolSize?: number
  /**
   * At start, how long to keep retrying a PostgreSQL that is not reachable yet (refused, starting
   * up, timed out) before giving up; 0 = fail at once. A wrong database name or password fails at once.
   */
  startRetryMs?: number
  /** Where the "waiting for the database" lines go (default console.log). */
  log?: (line: string) => void
  /** PostgreSQL: the direct connection for LISTEN (default databaseUrl), docs/decisions/025. */
  listenUrl?: string
}

/** Failures at start that a database coming up (or back) cures by itself. */
const TRANSIENT_AT_START = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', '57P03', '57P01'])

function isTransientAtStart(error: unknown): boolean {
  const e = error as { code?: string; message?: string }
  if (e.code && TRANSIENT_AT_START.has(e.code)) return true
  return /timeout|Connection terminated/i.test(e.message ?? '')
}

/**
 * SQLSTATEs and socket errors by which the server (or the network) ends a connection: PostgreSQL
 * shutting down or restarting (57P01 admin_shutdown, also sent by pg_terminate_backend and
 * DROP DATABASE … WITH (FORCE); 57P02 crash_shutdown; 57P03 cannot_connect_now), an idle session
 * timeout (57P05), a connection failure (08xxx), a reset socket.
 */
const SERVER_ENDED = new Set(['57P01', '57P02', '57P03', '57P05', 'ECONNRESET', 'EPIPE'])

/** A connection ended by the server: expected in operation and recovered by reconnecting. */
export function isConnectionEndedByServer(error: unknown): boolean {
  const e = error as { code?: string; message?: string }
  if (e.code && (SERVER_ENDED.has(e.code) || e.code.startsWith('08'))) return true
  return /Connection terminated|terminating connection|connection error and is not queryable/i.test(e.message ?? '')
}

function logConnectionLoss(error: Error, state: 'rỗi' | 'đang dùng', closing: boolean): void {
  const code = (error as { code?: string }).code
  const line = `[db] kết nối PostgreSQL ${state} bị máy chủ đóng${code ? ` (${code})` : ''}: ${error.message}`
  if (closing || isConnectionEndedByServer(error)) console.warn(`${line}; truy vấn sau sẽ mở kết nối mới.`)
  else console.error(line)
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openPglite(options.pgliteDataDir, options)
}

export function poolConfigFromUrl(raw: string): pg.PoolConfig {
  const url = new URL(raw)
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)),
    ssl: url.searchParams.get('sslmode') === 'require' ? { rejectUnauthorized: false } : undefined,
  }
}

function describePgError(error: unknown, where: string): string {
  const e = error as { code?: string; message?: string }
  switch (e.code) {
    case 'ECONNREFUSED':
      return `Không kết nối được PostgreSQL tại ${where}: máy chủ từ chối kết nối (ECONNREFUSED). PostgreSQL đã chạy chưa?`
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Không tìm thấy máy chủ PostgreSQL ${where} (${e.code}). Kiểm tra tên máy trong DATABASE_URL.`
    case 'ETIMEDOUT':
      return `Hết thời gian chờ kết nối PostgreSQL tại ${where} (ETIMEDOUT).`
    case '3D000':
      return `Cơ sở dữ liệu trong DATABASE_URL chưa có trên ${where}: ${e.message}. Tạo nó trước (createdb).`
    case '28P01':
    case '28000':
      return `PostgreSQL tại ${where} từ chối đăng nhập: ${e.message}.`
    default:
      return `Không mở được PostgreSQL tại ${where}: ${e.message ?? String(error)}`
  }
}

async function openPostgres(databaseUrl: string, options: OpenOptions): Promise<Database> {
  const config = poolConfigFromUrl(databaseUrl)
  const where = `${config.host}:${config.port}/${config.database}`
  const listenConfig = options.listenUrl ? poolConfigFromUrl(options.listenUrl) : config
  return openPool({ ...config, max: options.poolSize ?? 10 }, 'postgres', where, options, async () => undefined, (channel, onNotification, listenOptions) =>
    openListener({ ...listenConfig, connectionTimeoutMillis: options.connectTimeoutMs ?? 5000 }, channel, onNotification, listenOptions),
  )
}

/** A channel name as SQL needs it (LISTEN takes no parameter). */
function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

/**
 * One client of its own, outside the pool (a pooled connection is handed to other queries and
 * closed when idle), LISTENing until closed; lost connections are reopened with a growing pause
 * (1 s doubling to 30 s), and onReconnect says that notifications may have been missed.
 */
async function openListener(config: pg.ClientConfig, channel: string, onNotification: (payload: string) => void, options: ListenOptions = {}): Promise<Listener> {
  const warn = options.warn ?? ((line: string) => console.warn(line))
  let closed = false
  let client: pg.Client | null = null
  let retry: NodeJS.Timeout | undefined
  let pause = 1000
  const lost = (c: pg.Client, error?: Error) => {
    if (client !== c) return
    client = null
    c.end().catch(() => undefined)
    if (closed) return
    options.onLost?.()
    warn(`[db] kết nối LISTEN ${channel} bị ngắt${error ? ` (${error.message})` : ''}; kết nối lại sau ${pause / 1000} giây.`)
    schedule()
  }
  const connect = async (): Promise<void> => {
    const c = new pg.Client(config)
    c.on('notification', (message) => {
      if (client === c && message.channel === channel) onNotification(message.payload ?? '')
    })
    c.on('error', (error) => lost(c, error))
    c.on('end', () => lost(c))
    try {
      await c.connect()
      await c.query(`LISTEN ${quoteIdent(channel)}`)
    } catch (error) {
      await c.end().catch(() => undefined)
      throw error
    }
    if (closed) {
      await c.end().catch(() => undefined)
      return
    }
    client = c
    pause = 1000
  }
  const schedule = () => {
    retry = setTimeout(() => {
      retry = undefined
      if (closed) return
      connect()
        .then(() => options.onReconnect?.())
        .catch((error: Error) => {
          if (closed) return
          pause = Math.min(pause * 2, 30_000)
          warn(`[db] chưa mở lại được kết nối LISTEN ${channel} (${error.message}); thử lại sau ${pause / 1000} giây.`)
          schedule()
        })
    }, pause)
    retry.unref()
  }
  await connect()
  return {
    async close() {
      closed = true
      if (retry) clearTimeout(retry)
      const c = client
      client = null
      await c?.end().catch(() => undefined)
    },
  }
}

async function openPool(
  config: pg.PoolConfig,
  mode: DbMode,
  where: string,
  options: OpenOptions,
  onClose: () => Promise<void>,
  listen: Database['listen'] = async () => null,
): Promise<Database> {
  const pool = new pg.Pool({
    ...config,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
  })
  // A pool emits 'error' when an idle client's server goes away: PostgreSQL restarting, an
  // administrator's pg_terminate_backend, a DROP DATABASE … WITH (FORCE). The pool has already
  // dropped that client and the next query opens a new connection, so this is recovered, not a
  // failure: a warning when the server ended the connection, an error only for anything else.
  let closing = false
  pool.on('error', (error) => logConnectionLoss(error, 'rỗi', closing))
  // Every connection the pool opened, until it has really closed: pool.end() resolves as soon as
  // it has *asked* each connection to end, so close() waits for these to be gone too (a database
  // dropped right after close() would otherwise still see a live backend, and end it).
  const live = new Set<pg.Client>()
  let drained: (() => void) | undefined
  pool.on('connect', (client) => live.add(client))
  pool.on('remove', (client) => {
    live.delete(client)
    if (live.size === 0) drained?.()
  })
  const log = options.log ?? ((line: string) => console.log(line))
  const started = Date.now()
  const retryMs = mode === 'postgres' ? (options.startRetryMs ?? 0) : 0
  for (let attempt = 1; ; attempt++) {
    try {
      const client = await pool.connect()
      client.release()
      if (attempt > 1) log(`[db] PostgreSQL tại ${where} đã trả lời sau ${Math.round((Date.now() - started) / 1000)} giây chờ.`)
      break
    } catch (error) {
      const waited = Date.now() - started
      if (isTransientAtStart(error) && waited < retryMs) {
        const pause = Math.min(2000, 250 * 2 ** Math.min(attempt - 1, 3), retryMs - waited)
        const code = (error as { code?: string }).code ?? 'chưa trả lời'
        log(
          `[db] đang chờ PostgreSQL tại ${where} (${code}); thử lại lần ${attempt + 1} sau ${(pause / 1000).toFixed(1)} giây — đã chờ ${Math.round(waited / 1000)}/${Math.round(retryMs / 1000)} giây (DB_START_RETRY_SECONDS)`,
        )
        await new Promise((resolve) => setTimeout(resolve, pause))
        continue
      }
      await pool.end().catch(() => undefined)
      await onClose()
      throw new DatabaseOpenError(describePgError(error, where))
    }
  }
  // Prisma's defaults (2 s to get a connection for a transaction, 5 s for it to run) fail valid
  // work on a loaded machine: a seed or a race of starts took 6 s under load on 2 cores, and on the
  // embedded database every transaction queues for its one connection (docs/decisions/019).
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool), transactionOptions: { maxWait: 20_000, timeout: 30_000 } })
  pools.set(prisma, pool)
  // PGlite is one backend session behind its socket: a named statement outlives the client that
  // prepared it, so the next client (after an idle close or an error) would prepare it again and be
  // refused ("prepared statement … already exists"). Named statements are for PostgreSQL only.
  if (mode === 'pglite') unnamedOnly.add(pool)
  const listeners = new Set<Listener>()
  return {
    mode,
    prisma,
    async listen(channel, onNotification, listenOptions) {
      const listener = await listen(channel, onNotification, listenOptions)
      if (!listener) return null
      listeners.add(listener)
      return {
        async close() {
          listeners.delete(listener)
          await listener.close()
        },
      }
    },
    async withConnection(fn) {
      const client = await pool.connect()
      // A checked-out client has no listener of the pool's: without this one, a connection the
      // server ends mid-use would be an unhandled 'error' event (a crash). The query in flight
      // fails with the error; the client is then discarded rather than returned to the pool.
      let lost: Error | undefined
      const onError = (error: Error) => {
        lost = error
        logConnectionLoss(error, 'đang dùng', closing)
      }
      client.on('error', onError)
      try {
        return await fn({
          async query(text, params, options) {
            return (await client.query(options?.prepare && mode === 'postgres' ? { text, values: params, name: statementName(text) } : { text, values: params })).rows
          },
          async exec(script) {
            await client.query(script)
          },
        })
      } finally {
        client.removeListener('error', onError)
        client.release(lost)
      }
    },
    async close() {
      closing = true
      await Promise.all([...listeners].map((l) => l.close()))
      await prisma.$disconnect()
      await pool.end()
      if (live.size > 0) {
        // Bounded: a connection whose socket never reports its end must not hang a shutdown.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 10_000)
          drained = () => {
            clearTimeout(timer)
            resolve()
          }
        })
      }
      await onClose()
    },
  }
}

/** Makes sure the PGlite folder exists and can be written, or says plainly why not. */
export function prepareDataDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true })
    const probe = path.join(dir, `.write-test-${process.pid}`)
    fs.writeFileSync(probe, '')
    fs.rmSync(probe)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'lỗi'
    throw new DatabaseOpenError(
      `Thư mục dữ liệu PGlite không ghi được: ${dir} (${code}). Đặt PGLITE_DATA_DIR tới một thư mục ghi được.`,
    )
  }
}

/**
 * PGlite is one process's database: two processes on one folder would corrupt it. A lock file
 * holding the owner's pid keeps a second one out; a lock left by a dead process is taken over.
 */
function lockDataDir(dir: string): () => void {
  const lockPath = path.join(dir, 'banso.lock')
  const tryLock = () => fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' })
  try {
    tryLock()
  } catch {
    const owner = Number(fs.readFileSync(lockPath, 'utf8'))
    let alive = false
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid) {
      try {
        process.kill(owner, 0)
        alive = true
      } catch {
        alive = false
      }
    }
    if (alive) {
      throw new DatabaseOpenError(
        `Thư mục dữ liệu PGlite ${dir} đang được tiến trình ${owner} dùng. Dừng tiến trình đó hoặc đặt PGLITE_DATA_DIR khác.`,
      )
    }
    fs.rmSync(lockPath, { force: true })
    tryLock()
  }
  return () => {
    try {
      if (fs.readFileSync(lockPath, 'utf8') === String(process.pid)) fs.rmSync(lockPath)
    } catch {
      // already gone
    }
  }
}

/** A Unix socket path for the in-process PGlite server (at most 107 bytes, as the OS allows). */
function socketPathFor(dataDir: string): string {
  const inDataDir = path.join(dataDir, '.s.PGSQL.5432')
  if (Buffer.byteLength(inDataDir) <= 100) return inDataDir
  return path.join(os.tmpdir(), `banso-pglite-${process.pid}-${randomBytes(4).toString('hex')}`, '.s.PGSQL.5432')
}

/**
 * PGlite's settings for memory (docs/decisions/003, amendment "memory"): PostgreSQL's default
 * shared_buffers (128 MB) lives inside the WASM heap and is touched as pages are read; 32 MB holds
 * the whole working set of a small installation several times over (the files stay in the OS page
 * cache). Measured by bench/memory.ts.
 */
export const PGLITE_SHARED_BUFFERS = '32MB'

async function createPglite(pgdata: string): Promise<PGlite> {
  const options = { dataDir: pgdata, startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`] }
  // A new folder is made by initdb, a WASM instance of its own whose memory (≈ 0.4 GB) PGlite keeps
  // referenced for as long as that database is open. Closing it once made and opening the folder
  // again lets all of it go: the first start costs a second more, and the process ~0.35 GB less.
  if (!fs.existsSync(path.join(pgdata, 'PG_VERSION'))) await (await PGlite.create(options)).close()
  return PGlite.create(options)
}

async function openPglite(dataDir: string, options: OpenOptions): Promise<Database> {
  prepareDataDir(dataDir)
  const unlock = lockDataDir(dataDir)
  let pglite: PGlite
  let server: PGLiteSocketServer
  const socketPath = socketPathFor(dataDir)
  try {
    pglite = await createPglite(path.join(dataDir, 'pgdata'))
    fs.mkdirSync(path.dirname(socketPath), { recursive: true, mode: 0o700 })
    fs.rmSync(socketPath, { force: true }) // a socket file left by a killed process
    // The pool below holds one connection at a time: PGlite is a single session. The server
    // accepts a few, because a connection the pool has just dropped (after an error) may not be
    // closed on the server's side yet when its replacement arrives.
    server = new PGLiteSocketServer({ db: pglite, path: socketPath, maxConnections: 4 })
    await server.start()
  } catch (error) {
    unlock()
    throw new DatabaseOpenError(
      `Không mở được cơ sở dữ liệu PGlite tại ${dataDir}: ${(error as Error).message ?? String(error)}`,
    )
  }
  const config: pg.PoolConfig = {
    // node-postgres takes the socket's folder as host and the port as the socket file's suffix.
    host: path.dirname(socketPath),
    port: 5432,
    user: 'postgres',
    database: 'postgres',
    max: 1,
  }
  return openPool(config, 'pglite', dataDir, options, async () => {
    await server.stop()
    // PGlite writes its files on close: stopping cleanly keeps the data.
    await pglite.close()
    fs.rmSync(socketPath, { force: true })
    if (!socketPath.startsWith(dataDir)) fs.rmSync(path.dirname(socketPath), { recursive: true, force: true })
    unlock()
  })
}

// ─── The process's database ───

const KEY = 'database'

export function setDatabase(db: Database | undefined): void {
  setSingleton(KEY, db)
}

export function getDatabase(): Database {
  const db = getSingleton<Database>(KEY)
  if (!db) throw new Error('The database is not open yet: the server opens it before serving requests.')
  return db
}

/** The Prisma client of the process. */
export function prisma(): PrismaClient {
  return getDatabase().prisma
}
