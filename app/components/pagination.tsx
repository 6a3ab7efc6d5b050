import { Link } from '@remix-run/react'
import { format, useMessages } from '~/utils/i18n'

/** Previous/next links for a long list; `href(page)` builds each page's address. */
export function Pagination({ page, pages, href }: { page: number; pages: number; href: (page: number) => string }) {
  const { m, locale } = useMessages()
  if (pages <= 1) return null
  const label = format(m.auth.admin.page, { page, pages }, locale)
  return (
    <nav className="pagination" aria-label={label}>
      {page > 1 ? <Link to={href(page - 1)}>{m.auth.admin.previous}</Link> : null}
      <span>{label}</span>
      {page < pages ? <Link to={href(page + 1)}>{m.auth.admin.next}</Link> : null}
    </nav>
  )
}
