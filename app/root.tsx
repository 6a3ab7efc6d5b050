import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, Links, Meta, Outlet, Scripts, ScrollRestoration, useLocation, useMatches } from '@remix-run/react'
import type { ReactNode } from 'react'
import { GeneralErrorBoundary } from './components/error-boundary'
import { LanguageSwitch } from './components/language-switch'
import stylesUrl from './styles/app.css?url'
import { localeFromCookieHeader, messagesFor, useMessages } from './utils/i18n'
import { useNonce } from './utils/nonce'
import { pageWantsNoJs } from './utils/route-handle'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesUrl },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export async function loader({ request }: LoaderFunctionArgs) {
  return { locale: localeFromCookieHeader(request.headers.get('cookie')) }
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
  const withJs = !pageWantsNoJs(matches.map((match) => match.handle))
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
              </ul>
            </nav>
            <LanguageSwitch redirectTo={location.pathname + location.search} />
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

export default function App() {
  return <Outlet />
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
