import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { countActiveAgencies } from '~/modules/agency/service.server'
import { prisma } from '~/utils/db.server'
import { format, useMessages } from '~/utils/i18n'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }

export async function loader(_: LoaderFunctionArgs) {
  return { agencies: await countActiveAgencies({ prisma: prisma() }) }
}

export default function Home() {
  const { agencies } = useLoaderData<typeof loader>()
  const { m, locale } = useMessages()
  const programmes = [m.home.programmes.basic, m.home.programmes.services, m.home.programmes.agriculture]
  return (
    <>
      <section className="hero" aria-labelledby="home-title">
        <h1 id="home-title">{m.home.title}</h1>
        <p className="lead">{m.home.lead}</p>
      </section>

      <section aria-labelledby="programmes-title">
        <h2 id="programmes-title">{m.home.programmesTitle}</h2>
        <ul className="cards">
          {programmes.map((p) => (
            <li key={p.title} className="card">
              <h3>{p.title}</h3>
              <p>{p.text}</p>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="who-title">
        <h2 id="who-title">{m.home.whoTitle}</h2>
        <ul className="plain-list">
          <li>{m.home.who.staff}</li>
          <li>{m.home.who.teachers}</li>
          <li>{m.home.who.hr}</li>
        </ul>
      </section>

      <section aria-labelledby="agencies-title">
        <h2 id="agencies-title">{m.home.agenciesTitle}</h2>
        <p data-testid="agency-counts">{format(m.home.agenciesText, { ...agencies }, locale)}</p>
      </section>
    </>
  )
}
