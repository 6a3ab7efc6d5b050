import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, Links, Meta, Outlet, Scripts, ScrollRestoration, useLocation, useMatches, useRouteLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { GeneralErrorBoundary } from './components/error-boundary'
import { LanguageSwitch } from './components/language-switch'
import stylesUrl from './styles/app.css?url'
import { getCurrentUser } from './modules/auth/request.server'
import { unreadCount } from './modules/reminders/service.server'
import { prisma } from './utils/db.server'
import { format, localeFromCookieHeader, messagesFor, useMessages } from './utils/i18n'
import { useNonce } from './utils/nonce'
import { pageWantsNoJs } from './utils/route-handle'
import { PersonalIf, PersonalText, TEMPLATE_MARK, usePersonalTemplate, usePersonalValue } from './utils/personal-template'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesUrl },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request)
  return {
    locale: localeFromCookieHeader(request.headers.get('cookie')),
    // Rendering a personal template (app/server/personal-pages.ts) for a page that allows one.
    personalTemplate: context.personalTemplate === true,
    user: user
      ? {
          fullName: user.fullName,
          managesPeople: user.roles.some((r) => r.role === 'ADMIN' || r.role === 'AGENCY_MANAGER'),
          admin: user.roles.some((r) => r.role === 'ADMIN'),
          unread: await unreadCount(prisma(), user.id),
        }
      : null,
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const m = messagesFor(data?.locale ?? 'vi')
  return [
    { title: `${m.meta.siteName} — ${m.meta.tagline}` },
    { name: 'description', content: m.meta.description },
  ]
}

export function Layout({ children }: { children: ReactNode }) {
  const { m, locale } = useMessages()
  const nonce = useNonce()
  const matches = useMatches()
  const location = useLocation()
  // Light pages ship no JavaScript. While developing, every page gets Remix's scripts anyway: they
  // carry Vite's hot reload. (The browser tests run the production build, where js: false holds.)
  const withJs = import.meta.env.DEV || !pageWantsNoJs(matches.map((match) => match.handle))
  const user = useRouteLoaderData<typeof loader>('root')?.user ?? null
  const template = usePersonalTemplate()
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <Meta />
        <Links />
      </head>
      <body>
        {template ? TEMPLATE_MARK : null}
        <a className="skip-link" href="#main">
          {m.layout.skipToContent}
        </a>
        <header className="site-header">
          <div className="container header-row">
            <Link to="/" className="brand">
              <span aria-hidden="true" className="brand-mark">
                BS
              </span>
              {m.meta.siteName}
            </Link>
            <nav aria-label={m.layout.mainNav}>
              <ul className="nav-list">
                <li>
                  <Link to="/">{m.layout.home}</Link>
                </li>
                <li>
                  <Link to="/courses">{m.content.nav}</Link>
                </li>
                {user ? (
                  <li>
                    <Link to="/learning">{m.learning.nav}</Link>
                  </li>
                ) : null}
                {user ? (
                  <li>
                    <Link to="/classes">{m.classes.nav}</Link>
                  </li>
                ) : null}
                <PersonalIf flag="managesPeople" when={user?.managesPeople === true}>
                  <>
                    <li>
                      <Link to="/reports">{m.reports.nav.reports}</Link>
                    </li>
                    <li>
                      <Link to="/staff">{m.reports.nav.staff}</Link>
                    </li>
                    <li>
                      <Link to="/training">{m.training.nav}</Link>
                    </li>
                    <li>
                      <Link to="/assignments">{m.reports.nav.assignments}</Link>
                    </li>
                    <li>
                      <Link to="/admin/agencies">{m.reports.nav.agencies}</Link>
                    </li>
                    <li>
                      <Link to="/admin/users">{m.auth.nav.users}</Link>
                    </li>
                    <li>
                      <Link to="/admin/certificates">{m.certificates.nav}</Link>
                    </li>
                    <li>
                      <Link to="/admin/reminders">{m.reminders.admin.title}</Link>
                    </li>
                  </>
                </PersonalIf>
                <PersonalIf flag="admin" when={user?.admin === true}>
                  <li>
                    <Link to="/admin/audit">{m.auth.nav.audit}</Link>
                  </li>
                </PersonalIf>
              </ul>
            </nav>
            <div className="header-account">
              {user ? (
                <>
                  <Notifications unread={user.unread} />
                  <Link to="/account" className="header-user" data-testid="header-user">
                    <PersonalText name="fullName" value={user.fullName} />
                  </Link>
                  <Form method="post" action="/logout" reloadDocument>
                    <button type="submit">{m.auth.nav.signOut}</button>
                  </Form>
                </>
              ) : (
                <>
                  <Link to={`/login${location.pathname === '/' ? '' : `?redirectTo=${encodeURIComponent(location.pathname + location.search)}`}`}>
                    {m.auth.nav.signIn}
                  </Link>
                  <Link to="/signup">{m.auth.nav.signUp}</Link>
                </>
              )}
              <LanguageSwitch redirectTo={location.pathname + location.search} />
            </div>
          </div>
        </header>
        <main id="main" className="container" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <div className="container">
            <p>{m.layout.footer}</p>
          </div>
        </footer>
        {withJs ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </body>
    </html>
  )
}

/** The header's notifications link: "Thông báo (3)" when some are unread. */
function Notifications({ unread }: { unread: number }) {
  const { m, locale } = useMessages()
  const label = usePersonalValue('unreadLabel', unread ? format(m.reminders.navUnreadLabel, { count: unread }, locale) : '')
  const text = usePersonalValue('unreadText', unread ? format(m.reminders.navUnread, { count: unread }, locale) : '')
  return (
    <>
      <PersonalIf flag="unread" when={unread > 0}>
        <Link to="/notifications" className="header-notifications header-notifications-unread" data-testid="header-notifications" aria-label={label}>
          {text}
        </Link>
      </PersonalIf>
      <PersonalIf flag="unread" not when={unread > 0}>
        <Link to="/notifications" className="header-notifications" data-testid="header-notifications">
          {m.reminders.nav}
        </Link>
      </PersonalIf>
    </>
  )
}

export default function App() {
  return <Outlet />
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
