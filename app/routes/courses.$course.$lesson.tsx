// /courses/:course/:lesson — the lesson, rendered on the server with no JavaScript. Its
// check-yourself questions post here; the action grades the answer and the page comes back with the
// verdict (400 with a message for an answer that does not fit the question). A signed-in person
// also marks the lesson done here (intent "done" / "undo"; the check-yourself form has no intent).
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { MdxContent } from '~/components/mdx'
import { OfflineTools } from '~/components/offline-tools'
import { checkFailure, type CheckState } from '~/components/mdx/check-yourself'
import { renderLessonHtmlCached } from '~/components/mdx/render.server'
import { getCurrentUser, requireUser } from '~/modules/auth/request.server'
import { contentVersion } from '~/modules/content/version.server'
import { checkYourself, getLesson } from '~/modules/content/service.server'
import { courseProgress, markLessonDone, markLessonNotDone } from '~/modules/learning/progress.server'
import { LICENCES } from '~/modules/content/constants'
import { tocSections } from '~/modules/content/toc'
import contentStyles from '~/styles/content.css?url'
import { isAppError, type ErrorKey } from '~/utils/errors'
import { echoValues, failureFromError, failureOf, formFields } from '~/utils/forms'
import { format, localeFromCookieHeader, messagesFor, useMessages } from '~/utils/i18n'
import { throwAsResponse } from '~/utils/responses.server'
import { PAGE_CACHE_ANONYMOUS, PAGE_CACHE_HEADER } from '~/utils/page-cache'
import type { RouteHandle } from '~/utils/route-handle'
import { publicOrigin } from '~/utils/origin.server'
import { PersonalIf } from '~/utils/personal-template'
import { lessonParams } from '~/utils/params.server'

export const handle: RouteHandle = { js: false, personal: true }
export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const headers = new Headers({ Vary: 'Cookie' })
  const cache = loaderHeaders.get(PAGE_CACHE_HEADER)
  if (cache) headers.set(PAGE_CACHE_HEADER, cache)
  return headers
}
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: contentStyles }]

/** Lessons with at least this many sections get a table of contents. */
const TOC_MIN_SECTIONS = 3

function slugs(params: LoaderFunctionArgs['params']) {
  return lessonParams(params)
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const lesson = await getLesson(slugs(params))
    const user = await getCurrentUser(request)
    const progress = user ? await courseProgress({ userId: user.id, courseSlug: lesson.course.slug }) : null
    // An anonymous page is cached and served to everyone: no host from this request in it.
    const pageUrl = `${publicOrigin(user ? request : null)}/courses/${lesson.course.slug}/${lesson.lesson.slug}`
    const locale = localeFromCookieHeader(request.headers.get('cookie'))
    const here = `/courses/${lesson.course.slug}/${lesson.lesson.slug}`
    // The lesson's HTML before any answer: rendered once per language and content version.
    const proseHtml = renderLessonHtmlCached({
      key: here,
      version: contentVersion(),
      code: lesson.code,
      context: { m: messagesFor(locale).content, locale, assets: lesson.assets, questions: lesson.questions, action: here },
    })
    const payload = { ...lesson, proseHtml, pageUrl, signedIn: user !== null, enrolled: progress?.enrolled ?? false, done: progress?.lessonsDone.includes(lesson.lesson.slug) ?? false }
    // Anonymous: the same page for everyone with this language until the content changes, so the
    // server may keep it (app/server/page-cache.ts). The page has no script, hence no nonce.
    return data(payload, user ? undefined : { headers: { [PAGE_CACHE_HEADER]: PAGE_CACHE_ANONYMOUS } })
  } catch (error) {
    if (isAppError(error)) throw new Response(error.message, { status: error.status })
    throw error
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData()
  const intent = form.get('intent')
  if (intent === 'done' || intent === 'undo') {
    const user = await requireUser(request)
    try {
      await (intent === 'done' ? markLessonDone : markLessonNotDone)({ userId: user.id, ...slugs(params) })
    } catch (error) {
      throwAsResponse(error)
    }
    return redirect(`/courses/${params.course}/${params.lesson}#tien-do`)
  }
  const questionId = String(form.get('question') ?? '')
  const response = form.getAll('answer').map(String)
  try {
    const result = await checkYourself({ ...slugs(params), questionId, response })
    return { ok: true as const, result }
  } catch (error) {
    // A refused answer in the one form-result shape: what was chosen, the reason beside it.
    if (isAppError(error) && error.code === 'BAD_INPUT') return data(failureFromError(echoValues(formFields(form)), error, { answerField: 'answer' }), { status: 400 })
    if (isAppError(error)) throw new Response(error.message, { status: error.status })
    throw error
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [{ title: `${data.lesson.title} — ${data.course.title} — Bản Số` }, { name: 'description', content: data.lesson.summary }]
    : [{ title: 'Bản Số' }]

export default function LessonPage() {
  const lessonData = useLoaderData<typeof loader>()
  const posted = useActionData<typeof action>()
  const check: CheckState | undefined = posted ? { result: 'result' in posted ? posted.result : undefined, failure: failureOf<ErrorKey>(posted) } : undefined
  const { m, locale } = useMessages()
  const refused = check ? checkFailure(check, locale) : null
  const c = m.content
  const { course, lesson, code, proseHtml, toc, assets, questions, previous, next, signedIn, enrolled, done, pageUrl } = lessonData
  const l = m.learning
  const licence = LICENCES[course.licence]
  const here = `/courses/${course.slug}/${lesson.slug}`
  return (
    <article className="lesson">
      <nav aria-label={c.course.breadcrumb} className="breadcrumb">
        <Link to="/courses">{c.catalogue.title}</Link> › <Link to={`/courses/${course.slug}`}>{course.title}</Link>
      </nav>
      <header className="lesson-header">
        <p className="muted">{format(c.lesson.lessonOf, { n: lesson.position, total: course.lessonCount }, locale)}</p>
        <h1>{lesson.title}</h1>
        <p className="lead">{lesson.summary}</p>
        <p className="lesson-meta">
          {format(c.lesson.minutes, { n: lesson.minutes }, locale)}
          {lesson.standards.length ? ` · ${format(c.lesson.standards, { codes: lesson.standards.join(', ') })}` : null}
        </p>
      </header>

      {refused && !questions.some((q) => q.id === refused.questionId) ? (
        <p className="check-feedback check-error" role="alert">
          <strong>{c.check.error}</strong> {refused.message}
        </p>
      ) : null}

      {toc.filter((t) => t.depth === 2).length >= TOC_MIN_SECTIONS ? (
        <nav className="toc" aria-labelledby="toc-title">
          <p id="toc-title" className="toc-title">
            {c.lesson.toc}
          </p>
          <ol>
            {tocSections(toc).map(({ entry, subsections }) => (
              <li key={entry.id}>
                <a href={`#${entry.id}`}>{entry.text}</a>
                {subsections.length ? (
                  <ul className="toc-sub">
                    {subsections.map((sub) => (
                      <li key={sub.id}>
                        <a href={`#${sub.id}`}>{sub.text}</a>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ol>
        </nav>
      ) : null}

      {check ? (
        <div className="prose">
          <MdxContent code={code} context={{ m: c, locale, assets, questions, action: here, check }} />
        </div>
      ) : (
        // No answer to show: the same HTML MdxContent renders, kept by the loader.
        <div className="prose" dangerouslySetInnerHTML={{ __html: proseHtml }} />
      )}

      {/* Personal parts are marked for a personal template (app/utils/personal-template.tsx). */}
      <section id="tien-do" className="lesson-progress" aria-label={l.lesson.markDone}>
        {signedIn ? (
          <>
            <PersonalIf flag={`done:${course.slug}/${lesson.slug}`} when={done}>
              <Form method="post" className="inline-form">
                <p role="status">
                  <strong>✓ {l.lesson.done}</strong>{' '}
                  <button type="submit" name="intent" value="undo">
                    {l.lesson.undo}
                  </button>
                </p>
              </Form>
            </PersonalIf>
            <PersonalIf flag={`done:${course.slug}/${lesson.slug}`} not when={done}>
              <Form method="post">
                <button type="submit" name="intent" value="done" className="button button-primary">
                  {l.lesson.markDone}
                </button>
              </Form>
            </PersonalIf>
          </>
        ) : (
          <p>
            <Link to={`/login?redirectTo=${encodeURIComponent(here)}`}>{l.lesson.signIn}</Link>
          </p>
        )}
      </section>

      <PersonalIf flag={`enrolled:${course.slug}`} when={enrolled}>
        <OfflineTools courseSlug={course.slug} lessonSlug={lesson.slug} lessonSlugs={course.lessonSlugs} />
      </PersonalIf>

      <nav className="pager" aria-label={c.lesson.pager}>
        {previous ? (
          <Link to={`/courses/${course.slug}/${previous.slug}`} rel="prev" className="pager-prev">
            <span className="pager-label">{c.lesson.previous}</span> {previous.title}
          </Link>
        ) : (
          <span />
        )}
        {next ? (
          <Link to={`/courses/${course.slug}/${next.slug}`} rel="next" className="pager-next">
            <span className="pager-label">{c.lesson.next}</span> {next.title}
          </Link>
        ) : (
          <Link to={`/courses/${course.slug}`} className="pager-next">
            {c.lesson.backToCourse}
          </Link>
        )}
      </nav>

      <footer className="licence-line">
        <p>
          {format(c.lesson.licenceLine, { course: course.title, version: course.version, authors: course.authors.join(', ') })}{' '}
          <a href={licence.url} rel="license noopener noreferrer">
            {licence.name}
          </a>
          .
        </p>
        <p className="print-hint">{c.lesson.print}</p>
        <Reuse course={course} lesson={lesson} pageUrl={pageUrl} licence={licence} />
      </footer>
    </article>
  )
}

/** Open content: the attribution line to copy, the MDX source and the classroom view. */
function Reuse({ course, lesson, pageUrl, licence }: { course: { slug: string; title: string; version: string; authors: string[] }; lesson: { slug: string; title: string }; pageUrl: string; licence: { name: string; url: string } }) {
  const { m } = useMessages()
  const t = m.offline.open
  const line = format(t.attribution, { lesson: lesson.title, course: course.title, version: course.version, authors: course.authors.join(', '), url: pageUrl, licence: licence.name, licenceUrl: licence.url })
  const base = `/courses/${course.slug}/${lesson.slug}`
  return (
    <section className="reuse" aria-labelledby="reuse-title">
      <h2 id="reuse-title">{t.attributionTitle}</h2>
      <p>{format(t.attributionLead, { licence: licence.name })}</p>
      <label htmlFor="attribution-line">{t.attributionLabel}</label>
      <textarea id="attribution-line" readOnly rows={3} value={line} data-testid="attribution" />
      <p>
        <a href={`${base}/source`} type="text/plain">
          {t.source}
        </a>{' '}
        · <Link to={`${base}/classroom`}>{t.classroom}</Link> · <Link to={`/courses/${course.slug}/offline`}>{m.offline.pack.offlineLink}</Link>
      </p>
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
