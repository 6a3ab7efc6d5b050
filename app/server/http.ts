// The HTTP server: security headers, request log, Origin check, compression, static files, Remix.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
// The adapter's own two halves (its index exports only createRequestHandler, which reads the body from req).
import { createRemixRequest, sendRemixResponse } from '@remix-run/express/dist/server.js'
import { createRequestHandler, type AppLoadContext, type ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import type { ViteDevServer } from 'vite'
import { contentConfig, MEDIA_URL_PREFIX } from '~/modules/content/config.server'
import type { Env } from '~/utils/env.server'
import { fastSignIn, handoverOf } from './fast-sign-in'
import { createPageCache } from './page-cache'
import { connectFactsCache, PERSONAL_CHANNEL } from '~/modules/personal/cache.server'
import { getDatabase, plainQuery, type Database } from '~/utils/db.server'
import { createPersonalPages, writeStamp } from './personal-pages'
import { rateLimit } from './rate-limit'
import { requestLocale } from './request-locale.server'
import { checkFormBody, checkOrigin, requestLog, securityHeaders } from './security'

export interface HttpOptions {
  env: Env
  /** Production: the built server. Development: a Vite dev server in middleware mode. */
  build: { kind: 'production'; buildDir: string } | { kind: 'development'; vite: ViteDevServer }
}

export async function createHttpApp({ env, build }: HttpOptions) {
  const app = express()
  app.disable('x-powered-by')
  if (env.TRUST_PROXY) app.set('trust proxy', 1)
  const dev = build.kind === 'development'

  app.use(securityHeaders({ dev, formTargets: env.OIDC_ISSUER && env.OIDC_CLIENT_ID ? [new URL(env.OIDC_ISSUER).origin] : [] }))
  // An address with broken percent-encoding names nothing (Remix would throw decoding it: a 500).
  app.use((req, res, next) => {
    try {
      decodeURIComponent(req.path)
      next()
    } catch {
      res.status(404).type('text/plain; charset=utf-8').send('404 — Không tìm thấy trang này: địa chỉ không hợp lệ. (Not found: malformed address.)')
    }
  })
  if (env.LOG_REQUESTS) app.use(requestLog())
  app.use(checkOrigin({ appOrigin: env.APP_ORIGIN }))
  app.use(checkFormBody())
  // After the cheap refusals, before anything that reads the body or writes.
  app.use(rateLimit({ env }))
  if (!dev && env.PERSONAL_PAGES) app.use(writeStamp())
  app.use(compression())
  // A successful sign-in form answered without Remix; everything else of it goes on (docs/decisions/029).
  if (env.SIGN_IN_FAST_PATH) app.use(fastSignIn())
  // After compression(): it sees what Remix writes before it is compressed (a hit is gzipped already).
  if (!dev) app.use(createPageCache().middleware)
  // Then a signed-in lesson or course page from its personal template (docs/decisions/030).
  let productionBuild: ServerBuild | null = null
  // The person's facts are kept in memory, forgotten on the database's notification (PostgreSQL only).
  if (!dev && env.PERSONAL_PAGES) {
    const facts = env.PERSONAL_FACTS_SECONDS > 0 ? factsCacheOn(getDatabase(), env.PERSONAL_FACTS_SECONDS) : undefined
    app.use(createPersonalPages({ build: () => productionBuild, facts }).middleware)
  }
  // Images and files of lessons: each in a folder named by its content hash, so cached for good.
  app.use(MEDIA_URL_PREFIX, express.static(contentConfig().mediaDir, { immutable: true, maxAge: '1y', index: false }))

  let serverBuild: ServerBuild | (() => Promise<ServerBuild>)
  if (build.kind === 'development') {
    app.use(build.vite.middlewares)
    serverBuild = () => build.vite.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>
  } else {
    const client = path.join(build.buildDir, 'client')
    // Vite puts a content hash in every asset name, so they can be cached for good.
    app.use('/assets', express.static(path.join(client, 'assets'), { immutable: true, maxAge: '1y' }))
    app.use(express.static(client, { maxAge: '1h' }))
    serverBuild = productionBuild = (await import(pathToFileURL(path.resolve(build.buildDir, 'server', 'index.js')).href)) as ServerBuild
  }

  app.all(
    '*',
    // Domain errors are formatted in the reader's language (set last: body parsing may lose it).
    requestLocale(),
    remixHandler(serverBuild, dev ? 'development' : 'production', (req, res) => ({
      cspNonce: String(res.locals.cspNonce),
      clientIp: req.ip ?? 'unknown',
      connectionOrigin: connectionOrigin(req),
      signInResult: handoverOf(res)?.signInResult,
    })),
  )

  // Last resort: an error outside Remix (a broken static file read, say). Never a stack trace.
  app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    console.error('[http] lỗi không xử lý được:', error)
    if (res.headersSent) return
    res.status(500).type('text/plain; charset=utf-8').send('500 — Đã có lỗi trên máy chủ. Vui lòng thử lại sau.')
  })
  return app
}

/**
 * @remix-run/express's request handler, but a body the sign-in fast path has already read
 * (fast-sign-in.ts) is given to Remix as the request's body.
 */
function remixHandler(build: ServerBuild | (() => Promise<ServerBuild>), mode: string, getLoadContext: (req: express.Request, res: express.Response) => AppLoadContext) {
  const handleRequest = createRequestHandler(build, mode)
  return async (req: express.Request, res: express.Response, next: express.NextFunction) => {
    try {
      let request = createRemixRequest(req, res)
      const body = handoverOf(res)?.body
      if (body) request = new Request(request, { body })
      await sendRemixResponse(res, await handleRequest(request, getLoadContext(req, res)))
    } catch (error) {
      next(error)
    }
  }
}

/** The personal facts cache on this database, confirmed by its own ping through LISTEN (ADR 030). */
function factsCacheOn(db: Database, seconds: number) {
  const ping = async (payload: string) => void (await plainQuery(db.prisma, { text: 'SELECT pg_notify($1, $2)', values: [PERSONAL_CHANNEL, payload] }))
  return connectFactsCache(db, { ttlMs: seconds * 1000, ping })
}

/** The address the connection reached: its local IP and port (an IPv4-mapped address as IPv4). */
function connectionOrigin(req: express.Request): string | undefined {
  const address = req.socket.localAddress?.replace(/^::ffff:/, '')
  if (!address || !req.socket.localPort) return undefined
  return `${req.protocol}://${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort}`
}
