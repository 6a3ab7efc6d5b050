import { describe, expect, it } from 'vitest'
import { ConfigError, describeDatabase, parseEnv } from './env.server'

function problems(source: Record<string, string>): string[] {
  try {
    parseEnv(source)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  return []
}

describe('parseEnv', () => {
  it('defaults to the embedded database with demo accounts, on port 3000', () => {
    const env = parseEnv({})
    expect(env.DATABASE_URL).toBeUndefined()
    expect(env.PORT).toBe(3000)
    expect(env.SEED_DEMO).toBe(true)
    expect(env.PGLITE_DATA_DIR).toMatch(/\/\.data\/pglite$/)
    expect(env.SESSION_IDLE_MINUTES).toBe(7 * 24 * 60)
  })

  it('takes a real PostgreSQL URL, and then seeds no demo accounts unless asked', () => {
    const env = parseEnv({ DATABASE_URL: ' postgres://postgres@127.0.0.1:5432/banso ' })
    expect(env.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/banso')
    expect(env.SEED_DEMO).toBe(false)
    expect(parseEnv({ DATABASE_URL: 'postgresql://u:p@db/banso', SEED_DEMO: 'true' }).SEED_DEMO).toBe(true)
    expect(parseEnv({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined()
  })

  it('says what is wrong with each bad variable, one line each', () => {
    expect(problems({ DATABASE_URL: 'localhost:5432' })).toEqual([
      'Cấu hình sai: DATABASE_URL không phải địa chỉ PostgreSQL hợp lệ (dạng postgres://người-dùng@máy:cổng/tên-csdl)',
    ])
    expect(problems({ DATABASE_URL: 'postgres://host-only' })).toHaveLength(1) // no database name
    expect(problems({ PORT: '70000', NODE_ENV: 'staging', LOG_REQUESTS: 'maybe' })).toEqual([
      'Cấu hình sai: NODE_ENV phải là development, production hoặc test',
      'Cấu hình sai: PORT không được lớn hơn 65535',
      'Cấu hình sai: LOG_REQUESTS phải là true hoặc false',
    ])
    expect(problems({ APP_ORIGIN: 'https://hoc.laocai.gov.vn/path' })[0]).toMatch(/^Cấu hình sai: APP_ORIGIN/)
  })

  it('OpenID Connect: off by default, both issuer and client id or neither, https in production', () => {
    expect(parseEnv({}).OIDC_ISSUER).toBeUndefined()
    const on = parseEnv({ OIDC_ISSUER: 'https://sso.laocai.gov.vn/realms/laocai', OIDC_CLIENT_ID: 'ban-so', OIDC_SCOPES: 'openid, email profile' })
    expect(on).toMatchObject({ OIDC_SCOPES: ['openid', 'email', 'profile'], OIDC_DISPLAY_NAME: 'OpenID Connect' })
    expect(problems({ OIDC_ISSUER: 'https://sso.laocai.gov.vn' })).toEqual([
      'Cấu hình sai: OIDC_CLIENT_ID thiếu: đăng nhập OpenID Connect cần cả OIDC_ISSUER và OIDC_CLIENT_ID',
    ])
    expect(problems({ OIDC_CLIENT_ID: 'ban-so' })[0]).toMatch(/^Cấu hình sai: OIDC_ISSUER thiếu/)
    expect(problems({ OIDC_ISSUER: 'https://sso.laocai.gov.vn/?x=1', OIDC_CLIENT_ID: 'ban-so' })[0]).toMatch(/^Cấu hình sai: OIDC_ISSUER phải là/)
    expect(problems({ OIDC_ISSUER: 'https://sso.laocai.gov.vn', OIDC_CLIENT_ID: 'ban-so', OIDC_SCOPES: 'email profile' })[0]).toBe('Cấu hình sai: OIDC_SCOPES phải có "openid"')
    expect(problems({ NODE_ENV: 'production', OIDC_ISSUER: 'http://sso.laocai.gov.vn', OIDC_CLIENT_ID: 'ban-so' })).toEqual([
      'Cấu hình sai: OIDC_ISSUER phải dùng https:// khi NODE_ENV=production',
    ])
    expect(problems({ NODE_ENV: 'production', OIDC_ISSUER: 'http://127.0.0.1:3431', OIDC_CLIENT_ID: 'ban-so' })).toEqual([])
  })

  it('never allows demo accounts on a production PostgreSQL database', () => {
    expect(problems({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/banso', SEED_DEMO: 'true' })).toEqual([
      'Cấu hình sai: SEED_DEMO không được bật: tài khoản demo bị cấm trên cơ sở dữ liệu PostgreSQL khi NODE_ENV=production',
    ])
    expect(problems({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/banso' })).toEqual([])
  })

  it('checks the content and Argon2 variables with the rest, and gives their defaults', () => {
    const env = parseEnv({})
    expect(env).toMatchObject({ CONTENT_DIR: 'content', CONTENT_CACHE_DIR: '.cache/content', ARGON2_NICE: 0, ARGON2_YIELD_TO_PAGES: true })
    expect(env.ARGON2_THREADS).toBeUndefined()
    expect(parseEnv({ CONTENT_DIR: '', ARGON2_THREADS: '2', ARGON2_NICE: '10', ARGON2_QUEUE_MAX: '8', ARGON2_YIELD_TO_PAGES: 'false' })).toMatchObject({
      CONTENT_DIR: 'content',
      ARGON2_THREADS: 2,
      ARGON2_NICE: 10,
      ARGON2_QUEUE_MAX: 8,
      ARGON2_YIELD_TO_PAGES: false,
    })
    expect(problems({ ARGON2_THREADS: 'nhiều', ARGON2_NICE: '20' })).toEqual([
      'Cấu hình sai: ARGON2_THREADS ARGON2_THREADS phải là số nguyên',
      'Cấu hình sai: ARGON2_NICE không được lớn hơn 19',
    ])
  })

  it('checks the optional LRS (xAPI): an http(s) base, Basic key:secret, and the public origin it names people by', () => {
    const env = parseEnv({ XAPI_LRS_URL: 'https://lrs.example.vn/xapi', XAPI_LRS_AUTH: 'khoa:bí:mật', APP_ORIGIN: 'https://hoc.example.vn' })
    expect(env).toMatchObject({ XAPI_LRS_URL: 'https://lrs.example.vn/xapi/', XAPI_LRS_AUTH: 'khoa:bí:mật' })
    expect(parseEnv({ XAPI_LRS_URL: '', XAPI_LRS_AUTH: '' })).toMatchObject({ XAPI_LRS_URL: undefined, XAPI_LRS_AUTH: undefined })
    expect(problems({ XAPI_LRS_URL: 'https://lrs.example.vn/xapi/' })).toEqual([
      'Cấu hình sai: XAPI_LRS_URL cần APP_ORIGIN (địa chỉ công khai) để đặt tên người học và hoạt động',
    ])
    expect(problems({ XAPI_LRS_URL: 'ftp://lrs.example.vn/', APP_ORIGIN: 'https://hoc.example.vn' })[0]).toMatch(/^Cấu hình sai: XAPI_LRS_URL phải là địa chỉ http/)
    expect(problems({ XAPI_LRS_URL: 'https://u:p@lrs.example.vn/', APP_ORIGIN: 'https://hoc.example.vn' })).toHaveLength(1)
    expect(problems({ XAPI_LRS_URL: 'https://lrs.example.vn/', XAPI_LRS_AUTH: 'no-colon', APP_ORIGIN: 'https://hoc.example.vn' })).toEqual([
      'Cấu hình sai: XAPI_LRS_AUTH phải có dạng khoá:bí-mật (Basic), không có khoảng trắng',
    ])
    expect(problems({ XAPI_LRS_AUTH: 'khoa:bi-mat' })).toEqual(['Cấu hình sai: XAPI_LRS_AUTH được đặt nhưng thiếu XAPI_LRS_URL'])
  })

  it('describes the database without its password', () => {
    expect(describeDatabase(parseEnv({ DATABASE_URL: 'postgres://u:secret@db.internal:6543/banso' }))).toBe(
      'PostgreSQL db.internal:6543/banso',
    )
  })
})
