// /courses/:course — summary, facts, introduction, syllabus with minutes per lesson, licence; for a
// signed-in person also the enrol button, their progress and the way to the final quiz.
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { MdxContent } from '~/components/mdx'
import { OfflineTools } from '~/components/offline-tools'
import { getCurrentUser, requireUser } from '~/modules/auth/request.server'
import { getCourse } from '~/modules/content/service.server'
import { hasFinalQuiz } from '~/modules/learning/content.server'
import { courseProgress, enrol } from '~/modules/learning/progress.server'
import { LICENCES } from '~/modules/content/constants'
import contentStyles from '~/styles/content.css?url'
import { AppError, isAppError } from '~/utils/errors'
import { format, formatDateTime, useMessages } from '~/utils/i18n'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'
import { param, routeParams } from '~/utils/params.server'
import { PersonalIf, PersonalText, usePersonalValue } from '~/utils/personal-template'
import { PAGE_CACHE_ANONYMOUS, PAGE_CACHE_HEADER } from '~/utils/page-cache'

export const handle: RouteHandle = { js: false, personal: true }
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: contentStyles }]
export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const headers = new Headers({ Vary: 'Cookie' })
  const cache = loaderHeaders.get(PAGE_CACHE_HEADER)
  if (cache) headers.set(PAGE_CACHE_HEADER, cache)
  return headers
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const courseSlug = routeParams(params, { course: param.slug }).course
  try {
    const course = await getCourse({ courseSlug })
    const user = await getCurrentUser(request)
    const progress = user ? await courseProgress({ userId: user.id, courseSlug }) : null
    const payload = { ...course, signedIn: user !== null, progress, hasQuiz: await hasFinalQuiz(courseSlug) }
    // Anonymous: the same page for everyone with this language until the content changes (app/server/page-cache.ts).
    return data(payload, user ? undefined : { headers: { [PAGE_CACHE_HEADER]: PAGE_CACHE_ANONYMOUS } })
  } catch (error) {
    if (isAppError(error)) throw new Response(error.message, { status: error.status })
    throw error
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const courseSlug = routeParams(params, { course: param.slug }).course
  const form = await request.formData()
  try {
    if (form.get('intent') !== 'enrol') throw new AppError('BAD_INPUT', 'request.unknownIntent')
    await enrol({ userId: user.id, courseSlug })
  } catch (error) {
    throwAsResponse(error)
  }
  return redirect(`/courses/${courseSlug}#tien-do`)
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.course.title} — Bản Số` }, { name: 'description', content: data.course.summary }] : [{ title: 'Bản Số' }]

export default function CoursePage() {
  const { course, intro, assets, topic, signedIn, progress, hasQuiz } = useLoaderData<typeof loader>()
  const { m, locale } = useMessages()
  const c = m.content
  const l = m.learning
  const done = new Set(progress?.lessonsDone ?? [])
  const licence = LICENCES[course.licence]
  const first = course.lessons[0]
  return (
    <article className="course-page">
      <nav aria-label={c.course.breadcrumb} className="breadcrumb">
        <Link to="/courses">{c.catalogue.title}</Link>
      </nav>
      <h1>{course.title}</h1>
      <p className="lead">{course.summary}</p>

      {/* Personal parts are marked for a personal template (app/utils/personal-template.tsx). */}
      <section id="tien-do" className="enrolment" aria-label={l.course.enrolled}>
        {signedIn ? (
          <>
            <PersonalIf flag={`enrolled:${course.slug}`} when={progress?.enrolled === true}>
              <Progress courseSlug={course.slug} progress={progress} />
            </PersonalIf>
            <PersonalIf flag={`enrolled:${course.slug}`} not when={progress?.enrolled === true}>
              <Form method="post">
                <p className="hint">{l.course.enrolHint}</p>
                <button type="submit" name="intent" value="enrol" className="button button-primary">
                  {l.course.enrol}
                </button>
              </Form>
            </PersonalIf>
          </>
        ) : (
          <p>
            <Link to={`/login?redirectTo=${encodeURIComponent(`/courses/${course.slug}`)}`}>{l.course.signInToEnrol}</Link>
          </p>
        )}
      </section>

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
      <p>
        <Link to={`/courses/${course.slug}/offline`}>{m.offline.pack.offlineLink}</Link>
      </p>
      <PersonalIf flag={`enrolled:${course.slug}`} when={progress?.enrolled === true}>
        <OfflineTools courseSlug={course.slug} lessonSlugs={course.lessons.map((l) => l.slug)} />
      </PersonalIf>

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
              <PersonalIf flag={`done:${course.slug}/${lesson.slug}`} when={done.has(lesson.slug)}>
                <strong className="badge"> ✓ {l.course.done}</strong>
              </PersonalIf>
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
        {hasQuiz ? (
          <p>
            <Link to={`/courses/${course.slug}/quiz`}>{l.course.quiz}</Link>
          </p>
        ) : null}
      </section>
    </article>
  )
}

/** Where an enrolled person stands: completed or not, lessons done, the certificate link. */
function Progress({ courseSlug, progress }: { courseSlug: string; progress: { completedAt: string | Date | null; lessonsDone: string[]; lessonsTotal: number } | null }) {
  const { m, locale } = useMessages()
  const l = m.learning
  const doneCount = progress?.lessonsDone.length ?? 0
  const total = progress?.lessonsTotal ?? 0
  const completed = progress?.completedAt ? format(l.course.completed, { date: formatDateTime(progress.completedAt, locale, 'short') }) : ''
  const max = usePersonalValue(`total:${courseSlug}`, String(total))
  const value = usePersonalValue(`doneCount:${courseSlug}`, String(doneCount))
  return (
    <>
      <p role="status">
        <PersonalIf flag={`completed:${courseSlug}`} when={Boolean(progress?.completedAt)}>
          <PersonalText name={`completedText:${courseSlug}`} value={completed} />
        </PersonalIf>
        <PersonalIf flag={`completed:${courseSlug}`} not when={Boolean(progress?.completedAt)}>
          {l.course.enrolled}
        </PersonalIf>{' '}
        <PersonalText name={`progressText:${courseSlug}`} value={format(l.course.progress, { done: doneCount, total }, locale)} />
      </p>
      <PersonalIf flag={`hasLessons:${courseSlug}`} when={total > 0}>
        <progress max={max} value={value} />
      </PersonalIf>
      <PersonalIf flag={`completed:${courseSlug}`} when={Boolean(progress?.completedAt)}>
        <p>
          <Link to="/certificates">{m.certificates.mine.link}</Link>
        </p>
      </PersonalIf>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
