// Where the OpenID Connect provider sends the browser back (docs/decisions/028). Every failure
// ends on /login with its message (never a 500), with nothing written but the audit line.
import { redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { auditFailedProviderSignIn, signInWithIdentity } from '~/modules/auth/oidc-accounts.server'
import { clearStateCookie, finishSignIn, OidcError, oidcSettings } from '~/modules/auth/oidc.server'
import { clientInfo, currentSessionPolicy, requireAnonymous, safeRedirect, signedInHeaders } from '~/modules/auth/request.server'
import { prisma } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const settings = oidcSettings(getEnv())
  if (!settings) throw new Response('Không tìm thấy trang. (Not found.)', { status: 404 })
  await requireAnonymous(request)
  const client = clientInfo(request, context)
  const failed = (failure: string) => redirect(`/login?oidcError=${failure}`, { status: 303, headers: { 'Set-Cookie': clearStateCookie(request) } })
  let identity
  try {
    identity = await finishSignIn(prisma(), settings, request)
  } catch (error) {
    if (!(error instanceof OidcError)) throw error
    console.warn(`[oidc] đăng nhập không thành: ${error.message}`)
    await auditFailedProviderSignIn(prisma(), { ip: client.ip, issuer: settings.issuer, reason: error.failure })
    return failed(error.failure)
  }
  const result = await signInWithIdentity(prisma(), identity, client, currentSessionPolicy())
  if (!result.ok) return failed(result.failure)
  const headers = signedInHeaders(request, result)
  headers.append('Set-Cookie', clearStateCookie(request))
  return redirect(safeRedirect(identity.redirectTo, '/account'), { status: 303, headers })
}

