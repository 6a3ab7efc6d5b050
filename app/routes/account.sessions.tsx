import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { AccountNav } from '~/components/account-nav'
import { clientInfo, requireUser } from '~/modules/auth/request.server'
import { signOutEverywhere } from '~/modules/auth/service.server'
import { clearSessionCookie } from '~/modules/auth/session.server'
import { prisma } from '~/utils/db.server'
import { format, formatDateTime, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.auth.sessions.title)

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const sessions = await prisma().session.findMany({
    where: { userId: user.id },
    orderBy: { lastActiveAt: 'desc' },
    select: { id: true, createdAt: true, lastActiveAt: true, userAgent: true, ip: true },
  })
  return {
    sessions: sessions.map((s) => ({
      current: s.id === user.sessionId,
      createdAt: s.createdAt.toISOString(),
      lastActiveAt: s.lastActiveAt.toISOString(),
      device: describeAgent(s.userAgent),
      ip: s.ip,
    })),
  }
}

/** A short, human name for a user agent ("Chrome trên Android"), never the raw string. */
function describeAgent(ua: string | null): string | null {
  if (!ua) return null
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : null
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : null
  return [browser, os].filter(Boolean).join(' · ') || null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request)
  await signOutEverywhere(prisma(), user.id, clientInfo(request, context))
  return redirect('/login?signedOut', { status: 303, headers: { 'Set-Cookie': clearSessionCookie(request) } })
}

export default function Sessions() {
  const { sessions } = useLoaderData<typeof loader>()
  const { m, locale } = useMessages()
  const s = m.auth.sessions
  const date = (iso: string) => formatDateTime(iso, locale)
  return (
    <section aria-labelledby="sessions-title">
      <h1 id="sessions-title">{s.title}</h1>
      <AccountNav />
      <p>{s.intro}</p>
      <ul className="session-list">
        {sessions.map((session) => (
          <li key={session.createdAt + session.lastActiveAt} className="card">
            <strong>{session.device ?? s.unknownDevice}</strong>
            {session.current ? <span className="badge">{s.current}</span> : null}
            <br />
            {format(s.started, { date: date(session.createdAt) })} · {format(s.lastActive, { date: date(session.lastActiveAt) })}
            {session.ip ? ` · ${session.ip}` : null}
          </li>
        ))}
      </ul>
      <Form method="post">
        <button type="submit" className="button-danger">
          {s.signOutEverywhere}
        </button>
      </Form>
    </section>
  )
}
