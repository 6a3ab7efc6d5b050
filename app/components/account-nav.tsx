import { NavLink } from '@remix-run/react'
import { useMessages } from '~/utils/i18n'

export function AccountNav() {
  const { m } = useMessages()
  return (
    <nav aria-label={m.auth.account.title} className="subnav">
      <ul>
        <li>
          <NavLink to="/account" end>
            {m.auth.account.profileTitle}
          </NavLink>
        </li>
        <li>
          <NavLink to="/account/password">{m.auth.account.links.password}</NavLink>
        </li>
        <li>
          <NavLink to="/account/sessions">{m.auth.account.links.sessions}</NavLink>
        </li>
      </ul>
    </nav>
  )
}
