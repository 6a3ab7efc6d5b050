// A successful password sign-in answered before Remix (docs/decisions/029, amendment 2026-12-08).
//
// Around its Argon2 verification a sign-in through Remix spent more of the event loop's time in
// Remix (route matching rebuilt per request, the fetch Request and FormData, the response stream)
// than in its own work. So for the plain form post — POST /login, an urlencoded body of a few KB,
// no session cookie — this middleware reads the body, parses it with the action's schema and signs
// in with the action's function (`signIn`, the same two statements, throttle, audit rows). Then:
// - signed in: the action's answer itself, written here: 303 to the same `safeRedirect` target,
//   the same two Set-Cookie values (request.server.ts builds both);
// - anything else (a wrong password, a throttle, a full queue, a deactivated account, an error):
//   handed on to Remix with the body and this sign-in's result (load context `signInResult`), so
//   the route's action answers and renders it exactly as it would have — without signing in again.
// Whatever is not that plain post (another path or method, a session cookie, multipart, a large
// or unsized body, a form the schema refuses) goes to Remix untouched or with its body only.
// Everything before this middleware (security headers, Origin check, body checks, the rate limit,
// compression) runs for both. SIGN_IN_FAST_PATH=false sends every sign-in to Remix.
import type { NextFunction, Request, Response } from 'express'
import { clientInfoOf, currentSessionPolicy, safeRedirect, signedInCookies } from '~/modules/auth/request.server'
import { LoginSchema } from '~/modules/auth/schema'
import { signIn } from '~/modules/auth/service.server'
import { cookieFromHeader, cookieName, SESSION_COOKIE } from '~/modules/auth/session.server'
import { getDatabase } from '~/utils/db.server'
import { parseForm } from '~/utils/forms'

/** A sign-in form is well under 1 KB; a larger body goes to Remix unread. */
const MAX_BODY_BYTES = 16 * 1024

/** What this middleware leaves for Remix when it does not answer itself (res.locals). */
export interface SignInHandover {
  /** The request's body, already read here. */
  body: Uint8Array<ArrayBuffer>
  /** The sign-in already made with it, settled; absent when the form was not one to sign in with. */
  signInResult?: ReturnType<typeof signIn>
}

const HANDOVER = 'signInHandover'

export function handoverOf(res: Response): SignInHandover | undefined {
  return res.locals[HANDOVER] as SignInHandover | undefined
}

let answered = 0
/** Sign-ins answered here since the process started (the tests check the path is taken). */
export function fastSignIns(): number {
  return answered
}

export function fastSignIn() {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || req.path !== '/login' || req.originalUrl.includes('_data')) return next()
    if ((req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase() !== 'application/x-www-form-urlencoded') return next()
    const length = Number(req.get('content-length'))
    if (!Number.isInteger(length) || length > MAX_BODY_BYTES || req.get('transfer-encoding') !== undefined) return next()
    const secure = req.protocol === 'https'
    const cookieHeader = req.get('cookie') ?? null
    // Someone who may be signed in already: the action's requireAnonymous decides.
    if (cookieFromHeader(cookieHeader, cookieName(SESSION_COOKIE, secure)) !== null) return next()

    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.once('error', () => {}) // the client went away: there is nobody to answer
    req.once('end', () => {
      const body = new Uint8Array(Buffer.concat(chunks))
      // As Remix reads it (request.formData() of an urlencoded body: UTF-8 without its BOM).
      const form = new URLSearchParams(new TextDecoder().decode(body))
      const parsed = parseForm(form, LoginSchema)
      if (!parsed.ok) {
        res.locals[HANDOVER] = { body } satisfies SignInHandover
        return next()
      }
      const client = clientInfoOf({ ip: req.ip, userAgent: req.get('user-agent') ?? null, cookieHeader, secure })
      const signInResult = signIn(getDatabase(), parsed.data, client, currentSessionPolicy())
      signInResult.then(
        (result) => {
          if (!result.ok) {
            res.locals[HANDOVER] = { body, signInResult } satisfies SignInHandover
            return next()
          }
          answered++
          // What Remix sends for the action's redirect(…, { status: 303, headers: signedInHeaders(…) }).
          res.status(303)
          res.setHeader('location', safeRedirect(form.get('redirectTo'), '/account'))
          res.setHeader('set-cookie', signedInCookies(secure, result))
          res.end()
        },
        () => {
          // Thrown in the action instead (the database is down: its 503 page; else Remix's 500).
          res.locals[HANDOVER] = { body, signInResult } satisfies SignInHandover
          next()
        }
      )
    })
  }
}
