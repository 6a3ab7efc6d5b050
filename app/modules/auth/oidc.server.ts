// OpenID Connect sign-in beside passwords (docs/decisions/028): the authorization code flow with
// PKCE, through openid-client. The provider is found by discovery (kept per process, fetched again
// after a failure); a sign-in under way is a row keyed by the hash of its state (ten minutes, used
// once) plus a cookie holding the state, so only the browser that started it can finish it.
import { sha256 } from '@oslojs/crypto/sha2'
import { constantTimeEqual } from '@oslojs/crypto/subtle'
import type { PrismaClient } from '@prisma/client'
import * as oidc from 'openid-client'
import { isLoopbackOrHttps, type Env } from '~/utils/env.server'
import { getSingleton, setSingleton } from '~/utils/singleton.server'
import { cookieName, isSecureRequest, readCookie, serializeCookie } from './session.server'

export type OidcEnv = Pick<
  Env,
  'OIDC_ISSUER' | 'OIDC_CLIENT_ID' | 'OIDC_CLIENT_SECRET' | 'OIDC_REDIRECT_URI' | 'OIDC_SCOPES' | 'OIDC_DISPLAY_NAME' | 'APP_ORIGIN'
>

export interface OidcSettings {
  issuer: string
  clientId: string
  clientSecret: string | undefined
  scopes: string[]
  displayName: string
  /** Set: always this; unset: <APP_ORIGIN or the request's origin>/auth/oidc/callback. */
  redirectUri: string | undefined
}

/** The provider settings, or null when OpenID Connect sign-in is off (OIDC_ISSUER or OIDC_CLIENT_ID unset). */
export function oidcSettings(env: OidcEnv): OidcSettings | null {
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID) return null
  return {
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    scopes: env.OIDC_SCOPES,
    displayName: env.OIDC_DISPLAY_NAME,
    redirectUri: env.OIDC_REDIRECT_URI ?? (env.APP_ORIGIN ? `${env.APP_ORIGIN}/auth/oidc/callback` : undefined),
  }
}

export function redirectUriFor(settings: OidcSettings, request: Request): string {
  return settings.redirectUri ?? `${new URL(request.url).origin}/auth/oidc/callback`
}

/** What went wrong, as the login page says it (app/locales/*\/auth.ts, errors.oidc*). */
export const OIDC_FAILURES = [
  'oidcState',
  'oidcDenied',
  'oidcRejected',
  'oidcExpired',
  'oidcTokenInvalid',
  'oidcUnavailable',
  'oidcLinkConflict',
  'oidcFailed',
  'accountDeactivated',
] as const
export type OidcFailure = Exclude<(typeof OIDC_FAILURES)[number], 'oidcLinkConflict' | 'accountDeactivated'>

export class OidcError extends Error {
  constructor(
    readonly failure: OidcFailure,
    readonly detail: string,
  ) {
    super(`${failure}: ${detail}`)
    this.name = 'OidcError'
  }
}

/** A sign-in at the provider may take this long, from the button to the way back. */
export const LOGIN_STATE_TTL_MS = 10 * 60_000
/** One request to the provider (discovery, token, keys) may take this long. */
const PROVIDER_TIMEOUT_MS = 10_000

const STATE_COOKIE = 'banso_oidc'

// ─── Discovery, kept per process ───

const DISCOVERY_KEY = 'oidc-discovery'
interface CachedDiscovery {
  key: string
  config: Promise<oidc.Configuration>
}

const timedFetch: oidc.CustomFetch = (url, options) =>
  fetch(url, { ...options, body: options.body as BodyInit | undefined, signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS) })

/**
 * The provider's configuration: its discovery document is fetched once per process and settings,
 * and fetched again on the next sign-in when it failed (a provider down at start does not stay
 * "down" here). Kept process-wide (app/utils/singleton.server.ts) under "oidc-discovery".
 */
export function providerConfiguration(settings: OidcSettings): Promise<oidc.Configuration> {
  const key = JSON.stringify([settings.issuer, settings.clientId, settings.clientSecret ?? null])
  const cached = getSingleton<CachedDiscovery>(DISCOVERY_KEY)
  if (cached?.key === key) return cached.config
  const insecure = !settings.issuer.startsWith('https:')
  const config = oidc
    .discovery(
      new URL(settings.issuer),
      settings.clientId,
      settings.clientSecret ? undefined : { token_endpoint_auth_method: 'none' },
      settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None(),
      {
        // Plain http only to a provider on this machine (env.server.ts refuses it otherwise in production).
        execute: insecure && isLoopbackOrHttps(settings.issuer) ? [oidc.allowInsecureRequests] : [],
        [oidc.customFetch]: timedFetch,
      },
    )
    .then((configuration) => {
      configuration[oidc.customFetch] = timedFetch
      return configuration
    })
  const entry: CachedDiscovery = { key, config }
  setSingleton(DISCOVERY_KEY, entry)
  config.catch(() => {
    if (getSingleton<CachedDiscovery>(DISCOVERY_KEY) === entry) setSingleton(DISCOVERY_KEY, undefined)
  })
  return config
}

/** Forget the discovered provider (its keys are fetched again with it). */
export function forgetProviderConfiguration(): void {
  setSingleton(DISCOVERY_KEY, undefined)
}

// ─── Start: the button on /login ───

const hashState = (state: string) => new Uint8Array(sha256(new TextEncoder().encode(state)))

export interface StartedSignIn {
  /** Where to send the browser: the provider's authorization endpoint. */
  location: string
  /** The cookie that binds the sign-in to this browser. */
  cookie: string
}

export async function startSignIn(
  prisma: PrismaClient,
  settings: OidcSettings,
  { request, redirectTo }: { request: Request; redirectTo: string },
  now = new Date(),
): Promise<StartedSignIn> {
  const config = await providerConfiguration(settings).catch((error: unknown) => {
    throw new OidcError('oidcUnavailable', describe(error))
  })
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const codeVerifier = oidc.randomPKCECodeVerifier()
  const codeChallenge = await oidc.calculatePKCECodeChallenge(codeVerifier)
  // Sign-ins never finished are cleared as new ones start (an index on expires_at keeps it cheap).
  await prisma.oidcLoginState.deleteMany({ where: { expiresAt: { lte: now } } })
  await prisma.oidcLoginState.create({
    data: { stateHash: hashState(state), nonce, codeVerifier, redirectTo, createdAt: now, expiresAt: new Date(now.getTime() + LOGIN_STATE_TTL_MS) },
  })
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUriFor(settings, request),
    scope: settings.scopes.join(' '),
    state,
    nonce,
    code_challenge: codeChallenge,
    code_challenge_method: 'S256',
  })
  const secure = isSecureRequest(request)
  return { location: url.href, cookie: serializeCookie(cookieName(STATE_COOKIE, secure), state, { maxAgeSeconds: LOGIN_STATE_TTL_MS / 1000, secure }) }
}

export function clearStateCookie(request: Request): string {
  const secure = isSecureRequest(request)
  return serializeCookie(cookieName(STATE_COOKIE, secure), '', { maxAgeSeconds: 0, secure })
}

// ─── Callback: the provider sends the browser back ───

/** The person the provider vouches for, from a validated ID token. */
export interface ProviderIdentity {
  issuer: string
  subject: string
  email: string | null
  emailVerified: boolean
  name: string | null
  redirectTo: string
}

/**
 * Checks the way back and exchanges the code: the state must be the one this browser's cookie holds
 * and still stored (it is deleted here, so it works once), then openid-client checks the response's
 * state and issuer, sends the code with the PKCE verifier, and validates the ID token (signature,
 * iss, aud, exp, iat, nonce). Throws OidcError for everything that can go wrong.
 */
export async function finishSignIn(prisma: PrismaClient, settings: OidcSettings, request: Request, now = new Date()): Promise<ProviderIdentity> {
  const url = new URL(request.url)
  const cookieState = readCookie(request, cookieName(STATE_COOKIE, isSecureRequest(request)))
  if (!cookieState || cookieState.length > 200) throw new OidcError('oidcState', 'no state cookie')
  // The row goes whatever happens next: a sign-in's state is spent by its first way back.
  const row = await prisma.oidcLoginState
    .delete({ where: { stateHash: hashState(cookieState) } })
    .catch((error: unknown) => {
      if ((error as { code?: string }).code === 'P2025') return null
      throw error
    })
  if (!row) throw new OidcError('oidcState', 'state unknown or already used')
  if (row.expiresAt <= now) throw new OidcError('oidcState', 'state expired')
  const returned = url.searchParams.get('state') ?? ''
  const enc = new TextEncoder()
  if (returned.length !== cookieState.length || !constantTimeEqual(enc.encode(returned), enc.encode(cookieState))) {
    throw new OidcError('oidcState', 'state does not match this browser')
  }
  const config = await providerConfiguration(settings).catch((error: unknown) => {
    throw new OidcError('oidcUnavailable', describe(error))
  })
  // The redirect URI the token request names must be the registered one, also behind a proxy.
  const currentUrl = new URL(redirectUriFor(settings, request))
  currentUrl.search = url.search
  let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>
  try {
    tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
      expectedState: cookieState,
      expectedNonce: row.nonce,
      pkceCodeVerifier: row.codeVerifier,
      idTokenExpected: true,
    })
  } catch (error) {
    throw classify(error)
  }
  const idToken = tokens.claims()
  if (!idToken) throw new OidcError('oidcTokenInvalid', 'no ID token')
  // Many providers put the profile and email in the UserInfo answer only (as OpenID Connect's
  // default for an access token); its subject must be the ID token's (openid-client checks).
  let claims: Record<string, unknown> = idToken
  if (config.serverMetadata().userinfo_endpoint && tokens.access_token) {
    try {
      claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub)), ...idToken }
    } catch (error) {
      throw classify(error)
    }
  }
  const email = typeof claims.email === 'string' ? claims.email : null
  return {
    issuer: idToken.iss,
    subject: idToken.sub,
    email,
    emailVerified: claims.email_verified === true,
    name: nameFromClaims(claims),
    redirectTo: row.redirectTo,
  }
}

/** A Vietnamese name is written family name first: "Nguyễn Thị Hương". */
function nameFromClaims(claims: Record<string, unknown>): string | null {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null)
  const parts = [text(claims.family_name), text(claims.middle_name), text(claims.given_name)].filter((p): p is string => p !== null)
  return text(claims.name) ?? (parts.length > 0 ? parts.join(' ') : null) ?? text(claims.preferred_username)
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = error.cause instanceof Error ? `; ${error.cause.message}` : ''
  return `${error.message}${cause}`
}

/** Network trouble: no connection, a timeout, a refused or reset connection. */
function isNetworkError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return true
    if (e instanceof TypeError && /fetch failed/i.test(e.message)) return true
    if (/ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|UND_ERR/.test(String((e as { code?: unknown }).code ?? ''))) return true
  }
  return false
}

function classify(error: unknown): OidcError {
  const detail = describe(error)
  if (error instanceof oidc.AuthorizationResponseError) {
    return new OidcError(error.error === 'access_denied' ? 'oidcDenied' : 'oidcRejected', detail)
  }
  // The token endpoint said no: a code used before, expired, or not issued to this verifier.
  if (error instanceof oidc.ResponseBodyError) return new OidcError(error.status >= 500 ? 'oidcUnavailable' : 'oidcRejected', detail)
  if (isNetworkError(error)) return new OidcError('oidcUnavailable', detail)
  const code = (error as { code?: string }).code
  if (code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') return new OidcError('oidcExpired', detail)
  if (code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' || code === 'OAUTH_INVALID_RESPONSE') {
    // The way back itself is wrong (state, issuer of the response, a missing code).
    return new OidcError(/state/i.test(detail) ? 'oidcState' : 'oidcRejected', detail)
  }
  if (code?.startsWith('OAUTH_') || code?.startsWith('ERR_JOSE') || code?.startsWith('ERR_JW')) return new OidcError('oidcTokenInvalid', detail)
  return new OidcError('oidcFailed', detail)
}
