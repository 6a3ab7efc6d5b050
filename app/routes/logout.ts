import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { audit } from '~/modules/audit/service.server'
import { clientInfo, getCurrentUser } from '~/modules/auth/request.server'
import { clearSessionCookie, invalidateSession } from '~/modules/auth/session.server'
import { prisma } from '~/utils/db.server'

/** POST only: a link or an image cannot sign anyone out. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await getCurrentUser(request)
  if (user) {
    await invalidateSession(prisma(), user.sessionId)
    await audit(prisma(), { action: 'auth.signout', actorId: user.id, targetType: 'user', targetId: user.id, ip: clientInfo(request, context).ip })
  }
  return redirect('/login?signedOut', { status: 303, headers: { 'Set-Cookie': clearSessionCookie(request) } })
}

export async function loader() {
  return redirect('/')
}
