// /courses — the catalogue: filter by audience and topic, search courses and lessons (GET form,
// works without JavaScript).
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { listCourses } from '~/modules/content/service.server'
import { AUDIENCES } from '~/modules/content/constants'
import contentStyles from '~/styles/content.css?url'
import { format, messagesFor, useMessages } from '~/utils/i18n'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: contentStyles }]

const Filters = z.object({
  audience: z.enum(AUDIENCES).optional().catch(undefined),
  topic: z.string().regex(/^[a-z0-9-]{1,60}$/).optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
})

export async function loader({ request }: LoaderFunctionArgs) {
  const params = Object.fromEntries(new URL(request.url).searchParams)
  const filters = Filters.parse({ audience: params.audience || undefined, topic: params.topic || undefined, q: params.q || undefined })
  const { courses, hits, topics } = await listCourses({ audience: filters.audience, topic: filters.topic, query: filters.q })
  return { courses, hits, topics, filters }
}

export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches[0]?.data as { locale?: 'vi' | 'en' } | undefined)?.locale ?? 'vi'
  const m = messagesFor(locale)
  return [{ title: `${m.content.catalogue.title} — ${m.meta.siteName}` }, { name: 'description', content: m.content.catalogue.lead }]
}

export default function Catalogue() {
  const { courses, hits, topics, filters } = useLoaderData<typeof loader>()
  const { m, locale } = useMessages()
  const c = m.content
  const topicName = (id: string) => {
    const topic = topics.find((t) => t.id === id)
    return topic ? (locale === 'en' ? topic.en : topic.vi) : id
  }
  const filtered = Boolean(filters.audience || filters.topic || filters.q)
  return (
    <>
      <h1>{c.catalogue.title}</h1>
      <p className="lead">{c.catalogue.lead}</p>

      <form method="get" action="/courses" className="filters" role="search" aria-label={c.catalogue.filtersLabel}>
        <p className="filter-search">
          <label htmlFor="q">{c.catalogue.search}</label>
          <input id="q" name="q" type="search" defaultValue={filters.q ?? ''} maxLength={100} aria-describedby="q-hint" />
          <small id="q-hint">{c.catalogue.searchHint}</small>
        </p>
        <p>
          <label htmlFor="audience">{c.catalogue.audience}</label>
          <select id="audience" name="audience" defaultValue={filters.audience ?? ''}>
            <option value="">{c.catalogue.all}</option>
            {AUDIENCES.map((a) => (
              <option key={a} value={a}>
                {c.audiences[a]}
              </option>
            ))}
          </select>
        </p>
        <p>
          <label htmlFor="topic">{c.catalogue.topic}</label>
          <select id="topic" name="topic" defaultValue={filters.topic ?? ''}>
            <option value="">{c.catalogue.all}</option>
            {topics.map((t) => (
              <option key={t.id} value={t.id}>
                {locale === 'en' ? t.en : t.vi}
              </option>
            ))}
          </select>
        </p>
        <p className="filter-actions">
          <button type="submit">{c.catalogue.apply}</button>
          {filtered ? <Link to="/courses">{c.catalogue.reset}</Link> : null}
        </p>
      </form>

      {filters.q ? (
        <section aria-labelledby="results-title">
          <h2 id="results-title">{format(c.catalogue.resultsTitle, { q: filters.q })}</h2>
          {hits.length === 0 ? (
            <p>{format(c.catalogue.noResults, { q: filters.q })}</p>
          ) : (
            <ul className="search-hits" data-testid="search-hits">
              {hits.map((hit) => (
                <li key={`${hit.courseSlug}/${hit.lessonSlug ?? ''}`}>
                  <Link to={hit.lessonSlug ? `/courses/${hit.courseSlug}/${hit.lessonSlug}` : `/courses/${hit.courseSlug}`}>{hit.title}</Link>
                  <span className="hit-kind">{hit.lessonSlug ? format(c.catalogue.lessonIn, { course: hit.courseTitle }) : c.catalogue.courseHit}</span>
                  <p>{hit.summary}</p>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}

      <section aria-labelledby="courses-title">
        <h2 id="courses-title">{c.catalogue.coursesTitle}</h2>
        <p className="muted">{format(c.catalogue.count, { n: courses.length }, locale)}</p>
        {courses.length === 0 ? <p>{c.catalogue.none}</p> : null}
        <ul className="course-list" data-testid="course-list">
          {courses.map((course) => (
            <li key={course.slug} className="card">
              <h3>
                <Link to={`/courses/${course.slug}`}>{course.title}</Link>
              </h3>
              <p>{course.summary}</p>
              <p className="course-meta">
                {topicName(course.topic)} · {c.levels[course.level]} · {format(c.course.lessonCount, { n: course.lessonCount, minutes: course.minutes }, locale)}
              </p>
              <p className="course-meta">
                {c.catalogue.audience}: {course.audience.map((a) => c.audiences[a]).join(', ')}
              </p>
            </li>
          ))}
        </ul>
      </section>
    </>
  )
}
