// The "Đăng nhập bằng …" button of /login: starts an OpenID Connect sign-in (docs/decisions/028).
// POST only, so a link or an image cannot start one; it works without JavaScript.
import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { OidcError, oidcSettings, startSignIn } from '~/modules/auth/oidc.server'
import { requireAnonymous, safeRedirect } from '~/modules/auth/request.server'
import { prisma } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'

export async function action({ request }: ActionFunctionArgs) {
  const settings = oidcSettings(getEnv())
  if (!settings) throw new Response('Không tìm thấy trang. (Not found.)', { status: 404 })
  await requireAnonymous(request)
  const form = await request.formData()
  try {
    const started = await startSignIn(prisma(), settings, { request, redirectTo: safeRedirect(form.get('redirectTo'), '/account') })
    return redirect(started.location, { status: 303, headers: { 'Set-Cookie': started.cookie } })
  } catch (error) {
    if (!(error instanceof OidcError)) throw error
    console.warn(`[oidc] không bắt đầu được đăng nhập: ${error.message}`)
    return redirect(`/login?oidcError=${error.failure}`, { status: 303 })
  }
}

export async function loader() {
  return redirect('/login')
}
