// /courses/:course — summary, facts, introduction, syllabus with minutes per lesson, licence.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { MdxContent } from '~/components/mdx'
import { getCourse } from '~/modules/content/service.server'
import { LICENCES } from '~/modules/content/constants'
import contentStyles from '~/styles/content.css?url'
import { isAppError } from '~/utils/errors'
import { format, useMessages } from '~/utils/i18n'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: contentStyles }]

export async function loader({ params }: LoaderFunctionArgs) {
  try {
    return await getCourse({ courseSlug: params.course ?? '' })
  } catch (error) {
    if (isAppError(error)) throw new Response(error.message, { status: error.status })
    throw error
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.course.title} — Bản Số` }, { name: 'description', content: data.course.summary }] : [{ title: 'Bản Số' }]

export default function CoursePage() {
  const { course, intro, assets, topic } = useLoaderData<typeof loader>()
  const { m, locale } = useMessages()
  const c = m.content
  const licence = LICENCES[course.licence]
  const first = course.lessons[0]
  return (
    <article className="course-page">
      <nav aria-label={c.course.breadcrumb} className="breadcrumb">
        <Link to="/courses">{c.catalogue.title}</Link>
      </nav>
      <h1>{course.title}</h1>
      <p className="lead">{course.summary}</p>

      <dl className="facts" aria-label={c.course.facts}>
        <div>
          <dt>{c.course.audience}</dt>
          <dd>{course.audience.map((a) => c.audiences[a]).join(', ')}</dd>
        </div>
        {topic ? (
          <div>
            <dt>{c.course.topic}</dt>
            <dd>{locale === 'en' ? topic.en : topic.vi}</dd>
          </div>
        ) : null}
        <div>
          <dt>{c.course.level}</dt>
          <dd>{c.levels[course.level]}</dd>
        </div>
        <div>
          <dt>{c.course.hours}</dt>
          <dd>{format(c.course.hoursValue, { n: course.estimatedHours }, locale)}</dd>
        </div>
        {course.standards.length ? (
          <div>
            <dt>{c.course.standards}</dt>
            <dd>{course.standards.join(', ')}</dd>
          </div>
        ) : null}
        <div>
          <dt>{c.course.passMark}</dt>
          <dd>{format(c.course.passMarkValue, { n: course.passMark }, locale)}</dd>
        </div>
        <div>
          <dt>{c.course.validity}</dt>
          <dd>{course.validityMonths ? format(c.course.validityMonths, { n: course.validityMonths }, locale) : c.course.validityNone}</dd>
        </div>
        <div>
          <dt>{c.course.authors}</dt>
          <dd>{course.authors.join(', ')}</dd>
        </div>
        <div>
          <dt>{c.course.version}</dt>
          <dd>{course.version}</dd>
        </div>
        <div>
          <dt>{c.course.licence}</dt>
          <dd>
            <a href={licence.url} rel="license noopener noreferrer">
              {licence.name}
            </a>
          </dd>
        </div>
      </dl>

      <div className="prose">
        <MdxContent code={intro} context={{ m: c, locale, assets }} />
      </div>

      <section aria-labelledby="syllabus-title">
        <h2 id="syllabus-title">{c.course.syllabus}</h2>
        <p className="muted">{format(c.course.lessonCount, { n: course.lessonCount, minutes: course.minutes }, locale)}</p>
        <ol className="syllabus" data-testid="syllabus">
          {course.lessons.map((lesson) => (
            <li key={lesson.slug}>
              <Link to={`/courses/${course.slug}/${lesson.slug}`}>{lesson.title}</Link>{' '}
              <span className="muted">{`(${format(c.course.minutes, { n: lesson.minutes }, locale)})`}</span>
              <p>{lesson.summary}</p>
            </li>
          ))}
        </ol>
        {first ? (
          <p>
            <Link className="button button-primary" to={`/courses/${course.slug}/${first.slug}`}>
              {c.course.start}
            </Link>
          </p>
        ) : null}
      </section>
    </article>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
