// What the HTTP server hands every loader and action (app/server/http.ts, getLoadContext).
import type { signIn } from '~/modules/auth/service.server'

declare module '@remix-run/node' {
  interface AppLoadContext {
    /** The per-request nonce of the Content-Security-Policy, for Remix's inline scripts. */
    cspNonce: string
    /** The client's IP address (behind a proxy only with TRUST_PROXY), for throttling and the audit log. */
    clientIp: string
    /**
     * The address this connection actually reached (scheme, local IP and port), which no header
     * can change: what files kept for others name without APP_ORIGIN (app/utils/origin.server.ts).
     */
    connectionOrigin?: string
    /** Render the page as a personal template (app/server/personal-pages.ts), never sent as it is. */
    personalTemplate?: boolean
    /**
     * POST /login only: the sign-in app/server/fast-sign-in.ts already made with this request's
     * form, which it did not answer itself (no success). The action shows it instead of signing in again.
     */
    signInResult?: ReturnType<typeof signIn>
  }
}

export {}
