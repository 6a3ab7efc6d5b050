// One validated environment for the whole process (Epic Stack's env.server.ts idea): every
// variable is checked at start, and each bad one gets its own plain message.
import path from 'node:path'
import { z } from 'zod'
import { getSingleton, setSingleton } from './singleton.server'

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], {
    errorMap: () => ({ message: 'phải là true hoặc false' }),
  })
  .transform((v) => v === 'true' || v === '1' || v === 'yes')

const databaseUrl = z
  .string()
  .trim()
  .refine(
    (raw) => {
      try {
        const url = new URL(raw)
        return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '' && url.pathname.length > 1
      } catch {
        return false
      }
    },
    { message: 'không phải địa chỉ PostgreSQL hợp lệ (dạng postgres://người-dùng@máy:cổng/tên-csdl)' },
  )

const positiveInt = (name: string, max: number) =>
  z.coerce
    .number({ invalid_type_error: `${name} phải là số nguyên` })
    .int({ message: 'phải là số nguyên' })
    .min(1, { message: 'phải lớn hơn 0' })
    .max(max, { message: `không được lớn hơn ${max}` })

const nonNegativeInt = (name: string, max: number) =>
  z.coerce
    .number({ invalid_type_error: `${name} phải là số nguyên` })
    .int({ message: 'phải là số nguyên' })
    .min(0, { message: 'không được âm' })
    .max(max, { message: `không được lớn hơn ${max}` })

/** An absolute http(s) address without credentials, query or fragment. */
function isWebUrl(raw: string, { path }: { path: boolean }): boolean {
  try {
    const url = new URL(raw)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '' && url.search === '' && url.hash === '' && (path || url.pathname === '/')
  } catch {
    return false
  }
}

/** https, or plain http to this machine (a provider started beside the app, as the tests do). */
export function isLoopbackOrHttps(raw: string): boolean {
  const url = new URL(raw)
  return url.protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
}

/** An empty value counts as unset (`CONTENT_DIR=` in a .env file). */
const emptyAsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)

const EnvShape = z.object({
    NODE_ENV: z
      .enum(['development', 'production', 'test'], { errorMap: () => ({ message: 'phải là development, production hoặc test' }) })
      .default('development'),
    PORT: positiveInt('PORT', 65535).default(3000),
    HOST: z.string().trim().min(1).default('0.0.0.0'),
    /** Real PostgreSQL. When unset, the app runs on the embedded PGlite database. */
    DATABASE_URL: z
      .string()
      .optional()
      .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined))
      .pipe(databaseUrl.optional()),
    /**
     * PostgreSQL: the connection each process LISTENs on for content reloads (default DATABASE_URL).
     * Must reach PostgreSQL directly, never PgBouncer in transaction mode (docs/decisions/025).
     */
    DATABASE_LISTEN_URL: z
      .string()
      .optional()
      .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined))
      .pipe(databaseUrl.optional()),
    /** How often each process reads the content version row (a missed NOTIFY, PGlite), in seconds. */
    CONTENT_CHECK_SECONDS: positiveInt('CONTENT_CHECK_SECONDS', 3600).default(5),
    /** Where the embedded database keeps its files. */
    PGLITE_DATA_DIR: z.string().trim().min(1).default('.data/pglite'),
    /** Seed the demo accounts of the README. Default: on for the embedded database, off on PostgreSQL. */
    SEED_DEMO: booleanFlag.optional(),
    /** The public origin (https://lms.example.vn) when the app is behind a proxy. */
    APP_ORIGIN: z
      .string()
      .trim()
      .optional()
      .refine((v) => v === undefined || v === '' || /^https?:\/\/[^/]+$/.test(v), {
        message: 'phải là một origin như https://hoc.laocai.gov.vn (không có đường dẫn)',
      })
      .transform((v) => (v ? v : undefined)),
    /** Trust X-Forwarded-* from one reverse proxy in front of the app. */
    TRUST_PROXY: booleanFlag.default('false'),
    LOG_REQUESTS: booleanFlag.default('true'),
    /** Signed-in lesson and course pages from personal templates (docs/decisions/030); false: always Remix. */
    PERSONAL_PAGES: booleanFlag.default('true'),
    /** How long a process may keep a signed-in person's facts (docs/decisions/030); 0: never kept. */
    PERSONAL_FACTS_SECONDS: nonNegativeInt('PERSONAL_FACTS_SECONDS', 3600).default(60),
    /** A successful POST /login answered before Remix (docs/decisions/029, amendment 2026-12-08); false: always Remix. */
    SIGN_IN_FAST_PATH: booleanFlag.default('true'),
    DB_CONNECT_TIMEOUT_MS: positiveInt('DB_CONNECT_TIMEOUT_MS', 600_000).default(5000),
    /** Connections of this process's pool to PostgreSQL: N processes hold up to N times this (docs/decisions/025). */
    DB_POOL_SIZE: positiveInt('DB_POOL_SIZE', 200).default(10),
    /** At start, how long to keep retrying a PostgreSQL that is not up yet (0 = give up at once). */
    DB_START_RETRY_SECONDS: nonNegativeInt('DB_START_RETRY_SECONDS', 3600).default(60),
    /** Optional mail server for password reset links, e.g. smtps://user:pass@mail.example.vn:465. */
    SMTP_URL: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : undefined))
      .refine((v) => v === undefined || /^smtps?:\/\/[^/]+/.test(v), { message: 'phải có dạng smtp://… hoặc smtps://…' }),
    SMTP_FROM: z.string().trim().min(3).default('Bản Số <no-reply@localhost>'),
    /** Background jobs (reminders and their emails) run in every server process (docs/decisions/022). */
    JOBS_ENABLED: booleanFlag.default('true'),
    /** How often each process looks for due jobs, in seconds. */
    JOBS_INTERVAL_SECONDS: positiveInt('JOBS_INTERVAL_SECONDS', 3600).default(60),
    /** The hour (Vietnam time, 0–23) from which the day's reminders are sent. */
    REMINDERS_HOUR: z.preprocess(
      emptyAsUnset,
      z.coerce
        .number({ invalid_type_error: 'REMINDERS_HOUR phải là số nguyên' })
        .int({ message: 'phải là số nguyên' })
        .min(0, { message: 'không được âm' })
        .max(23, { message: 'không được lớn hơn 23' })
        .default(7),
    ),
    /**
     * Optional Learning Record Store (xAPI 1.0.3, docs/decisions/026): its statements endpoint's base,
     * e.g. https://lrs.example.vn/xapi/ (statements are PUT to <base>statements?statementId=…).
     */
    XAPI_LRS_URL: z
      .preprocess(emptyAsUnset, z.string().trim().optional())
      .refine(
        (v) => {
          if (v === undefined) return true
          try {
            const url = new URL(v)
            return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '' && url.search === '' && url.hash === ''
          } catch {
            return false
          }
        },
        { message: 'phải là địa chỉ http(s):// của LRS, không có tên, mật khẩu hay ?… (đặt tài khoản vào XAPI_LRS_AUTH)' },
      )
      .transform((v) => (v === undefined ? undefined : v.endsWith('/') ? v : `${v}/`)),
    /** The LRS's Basic credentials, as key:secret (sent as Authorization: Basic base64(key:secret)). */
    XAPI_LRS_AUTH: z
      .preprocess(emptyAsUnset, z.string().optional())
      .refine((v) => v === undefined || /^[^:\s]+:\S+$/.test(v), { message: 'phải có dạng khoá:bí-mật (Basic), không có khoảng trắng' }),
    /**
     * OpenID Connect sign-in beside passwords (docs/decisions/028): on when OIDC_ISSUER and
     * OIDC_CLIENT_ID are both set. The issuer is the provider's exact issuer identifier.
     */
    OIDC_ISSUER: z
      .preprocess(emptyAsUnset, z.string().trim().optional())
      .refine((v) => v === undefined || isWebUrl(v, { path: true }), { message: 'phải là địa chỉ https:// của nhà cung cấp định danh (issuer), không có ?… hay #…' }),
    OIDC_CLIENT_ID: z.preprocess(emptyAsUnset, z.string().trim().max(500, { message: 'dài quá 500 ký tự' }).optional()),
    /** Unset: a public client (PKCE only, no secret at the token endpoint). */
    OIDC_CLIENT_SECRET: z.preprocess(emptyAsUnset, z.string().optional()),
    /** Where the provider sends the browser back; default <APP_ORIGIN or the request's origin>/auth/oidc/callback. */
    OIDC_REDIRECT_URI: z
      .preprocess(emptyAsUnset, z.string().trim().optional())
      .refine((v) => v === undefined || isWebUrl(v, { path: true }), { message: 'phải là địa chỉ http(s):// đầy đủ, ví dụ https://hoc.laocai.gov.vn/auth/oidc/callback' }),
    OIDC_SCOPES: z
      .preprocess(emptyAsUnset, z.string().trim().default('openid profile email'))
      .transform((v) => v.split(/[\s,]+/).filter(Boolean))
      .refine((scopes) => scopes.includes('openid'), { message: 'phải có "openid"' }),
    /** The provider's name on the sign-in button: "Đăng nhập bằng <OIDC_DISPLAY_NAME>". */
    OIDC_DISPLAY_NAME: z.preprocess(emptyAsUnset, z.string().trim().max(60, { message: 'dài quá 60 ký tự' }).default('OpenID Connect')),
    /** Sign-in sessions end after this many minutes without activity. */
    SESSION_IDLE_MINUTES: positiveInt('SESSION_IDLE_MINUTES', 60 * 24 * 90).default(60 * 24 * 7),
    /** …and in any case this many days after sign-in. */
    SESSION_MAX_DAYS: positiveInt('SESSION_MAX_DAYS', 365).default(30),
    /** The general rate limit on POSTs (docs/decisions/015): per IP (a school behind one address counts as one) … */
    RATE_LIMIT_POSTS_PER_MINUTE_IP: positiveInt('RATE_LIMIT_POSTS_PER_MINUTE_IP', 10_000_000).default(300),
    /** … and per signed-in account. */
    RATE_LIMIT_POSTS_PER_MINUTE_ACCOUNT: positiveInt('RATE_LIMIT_POSTS_PER_MINUTE_ACCOUNT', 10_000_000).default(120),
    /** New accounts (sign-up, joining a class) per IP and hour: each is an Argon2 hash and a row. */
    RATE_LIMIT_SIGNUPS_PER_HOUR_IP: positiveInt('RATE_LIMIT_SIGNUPS_PER_HOUR_IP', 10_000_000).default(40),
    /** File uploads (roster imports, up to 8 MB each) per hour, per IP and per account. */
    RATE_LIMIT_UPLOADS_PER_HOUR: positiveInt('RATE_LIMIT_UPLOADS_PER_HOUR', 10_000_000).default(30),
    /** Generated certificate PDFs and PNGs, kept between starts (safe to delete). */
    CERTIFICATE_CACHE_DIR: z.string().trim().min(1).default('.cache/certificates'),
    /** The certificate files kept at most (least recently used go first): megabytes and files. */
    CERTIFICATE_CACHE_MAX_MB: positiveInt('CERTIFICATE_CACHE_MAX_MB', 1_000_000).default(512),
    CERTIFICATE_CACHE_MAX_FILES: positiveInt('CERTIFICATE_CACHE_MAX_FILES', 10_000_000).default(20_000),
    /** The offline packs and SCORM packages kept at most (in CONTENT_CACHE_DIR/packs): megabytes and files. */
    PACK_CACHE_MAX_MB: positiveInt('PACK_CACHE_MAX_MB', 1_000_000).default(2048),
    PACK_CACHE_MAX_FILES: positiveInt('PACK_CACHE_MAX_FILES', 10_000_000).default(500),
    /** Optional file with the issuer's Ed25519 private key (PKCS#8 PEM or a private JWK); else the key is kept in the database. */
    ISSUER_KEY_FILE: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? path.resolve(v) : undefined)),
    /** The folder with topics.yaml and courses/ (relative to the working directory). */
    CONTENT_DIR: z.preprocess(emptyAsUnset, z.string().trim().min(1).default('content')),
    /** Compiled MDX and generated images, kept between starts. Safe to delete: it is rebuilt. */
    CONTENT_CACHE_DIR: z.preprocess(emptyAsUnset, z.string().trim().min(1).default('.cache/content')),
    /** Worker threads that hash passwords (Argon2). Default: one per core. */
    ARGON2_THREADS: z.preprocess(emptyAsUnset, positiveInt('ARGON2_THREADS', 256).optional()),
    /**
     * How nice (0–19) those threads run. Default 0 (docs/decisions/029): on a machine shared with
     * other work, niced threads lost most sign-ins; pages are kept a core by ARGON2_YIELD_TO_PAGES.
     */
    ARGON2_NICE: z.preprocess(
      emptyAsUnset,
      z.coerce
        .number({ invalid_type_error: 'ARGON2_NICE phải là số nguyên' })
        .int({ message: 'phải là số nguyên' })
        .min(0, { message: 'không được âm' })
        .max(19, { message: 'không được lớn hơn 19' })
        .default(0),
    ),
    /**
     * While the event loop is busy (pages being served), Argon2 takes one worker fewer than the pool
     * has, so a page always finds a core (docs/decisions/029).
     */
    ARGON2_YIELD_TO_PAGES: booleanFlag.default('true'),
    /**
     * One more Argon2 worker at this nice (default 19), the only one that starts hashes while pages
     * are being served (docs/decisions/029); off with ARGON2_YIELD_TO_PAGES=false.
     */
    ARGON2_BUSY_NICE: z.preprocess(
      emptyAsUnset,
      z.coerce
        .number({ invalid_type_error: 'ARGON2_BUSY_NICE phải là số nguyên' })
        .int({ message: 'phải là số nguyên' })
        .min(0, { message: 'không được âm' })
        .max(19, { message: 'không được lớn hơn 19' })
        .default(19),
    ),
    /** Sign-ins waiting for a worker beyond which a new one is answered 503 "thử lại sau ít giây". Default: 16 per worker. */
    ARGON2_QUEUE_MAX: z.preprocess(emptyAsUnset, positiveInt('ARGON2_QUEUE_MAX', 100_000).optional()),
  })

/** The content variables alone, by the same rules (for the content module and its CLI). */
export function contentEnv(source: Record<string, string | undefined> = process.env) {
  return EnvShape.pick({ CONTENT_DIR: true, CONTENT_CACHE_DIR: true }).parse(source)
}

/** The Argon2 variables alone, by the same rules (start-up has reported any bad one already). */
export function argon2Env(source: Record<string, string | undefined> = process.env) {
  return EnvShape.pick({ ARGON2_THREADS: true, ARGON2_NICE: true, ARGON2_YIELD_TO_PAGES: true, ARGON2_QUEUE_MAX: true, ARGON2_BUSY_NICE: true }).parse(source)
}

const EnvSchema = EnvShape
  .transform((env) => ({
    ...env,
    SEED_DEMO: env.SEED_DEMO ?? env.DATABASE_URL === undefined,
    PGLITE_DATA_DIR: path.resolve(env.PGLITE_DATA_DIR),
    CERTIFICATE_CACHE_DIR: path.resolve(env.CERTIFICATE_CACHE_DIR),
  }))
  .superRefine((env, ctx) => {
    if (env.XAPI_LRS_AUTH && !env.XAPI_LRS_URL) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['XAPI_LRS_AUTH'], message: 'được đặt nhưng thiếu XAPI_LRS_URL' })
    }
    if (env.XAPI_LRS_URL && !env.APP_ORIGIN) {
      // The learner's account and every activity are named by the public origin (xAPI needs absolute IRIs).
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['XAPI_LRS_URL'], message: 'cần APP_ORIGIN (địa chỉ công khai) để đặt tên người học và hoạt động' })
    }
    if (Boolean(env.OIDC_ISSUER) !== Boolean(env.OIDC_CLIENT_ID)) {
      const missing = env.OIDC_ISSUER ? 'OIDC_CLIENT_ID' : 'OIDC_ISSUER'
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [missing], message: 'thiếu: đăng nhập OpenID Connect cần cả OIDC_ISSUER và OIDC_CLIENT_ID' })
    }
    if (env.OIDC_ISSUER && env.NODE_ENV === 'production' && !isLoopbackOrHttps(env.OIDC_ISSUER)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['OIDC_ISSUER'], message: 'phải dùng https:// khi NODE_ENV=production' })
    }
    if (env.NODE_ENV === 'production' && env.DATABASE_URL && env.SEED_DEMO) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['SEED_DEMO'],
        message: 'không được bật: tài khoản demo bị cấm trên cơ sở dữ liệu PostgreSQL khi NODE_ENV=production',
      })
    }
  })

export type Env = z.infer<typeof EnvSchema>

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'))
    this.name = 'ConfigError'
  }
}

/** Parses the environment; throws ConfigError with one line per bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = EnvSchema.safeParse(source)
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || 'env'
    return `Cấu hình sai: ${name} ${issue.message}`
  })
  throw new ConfigError(problems)
}

/** Where the database lives, said without a password, for logs. */
export function describeDatabase(env: Pick<Env, 'DATABASE_URL' | 'PGLITE_DATA_DIR'>): string {
  if (!env.DATABASE_URL) return `PGlite (nhúng) tại ${env.PGLITE_DATA_DIR}`
  const url = new URL(env.DATABASE_URL)
  return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`
}

const ENV_KEY = 'env'

/**
 * The process's environment, parsed once (start-up has already reported any bad variable). Kept
 * process-wide (app/utils/singleton.server.ts): the server code is loaded twice, once inside the
 * Remix build, and both must read the same parse.
 */
export function getEnv(): Env {
  let env = getSingleton<Env>(ENV_KEY)
  if (!env) setSingleton(ENV_KEY, (env = parseEnv()))
  return env
}

/** Forget the parsed environment (tests: test files that share a process set their own variables). */
export function resetEnvCache(): void {
  setSingleton(ENV_KEY, undefined)
}
