import { isRouteErrorResponse, Link, useRouteError } from '@remix-run/react'
import { useMessages } from '~/utils/i18n'

/** The one error page of the app: Vietnamese (or English) text, the status, a way home. */
export function GeneralErrorBoundary() {
  const error = useRouteError()
  const { m } = useMessages()
  const status = isRouteErrorResponse(error) ? error.status : 500
  const [title, text] =
    status === 404
      ? [m.errors.notFoundTitle, m.errors.notFoundText]
      : status === 403
        ? [m.errors.forbiddenTitle, m.errors.forbiddenText]
        : status >= 500
          ? [m.errors.serverTitle, m.errors.serverText]
          : [m.errors.genericTitle, isRouteErrorResponse(error) && typeof error.data === 'string' ? error.data : '']
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-status">
        {m.errors.statusLabel} {status}
      </p>
      <h1 id="error-title">{title}</h1>
      {text ? <p>{text}</p> : null}
      <p>
        <Link to="/">{m.errors.backHome}</Link>
      </p>
    </section>
  )
}
