// /courses/:course/:lesson/classroom?s=N — the lesson on a classroom projector: large type, one
// section per screen, plain links to move on (a clicker's keys work too when JavaScript runs: a
// few lines below turn ←/→, PageUp/PageDown into those links). Works without JavaScript.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { renderMdxToHtml, splitSections } from '~/components/mdx/render.server'
import { getLesson } from '~/modules/content/service.server'
import classroomStyles from '~/styles/classroom.css?url'
import contentStyles from '~/styles/content.css?url'
import { format, localeFromCookieHeader, messagesFor, useMessages } from '~/utils/i18n'
import { useNonce } from '~/utils/nonce'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'
import { lessonParams } from '~/utils/params.server'

export const handle: RouteHandle = { js: false }
export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: contentStyles },
  { rel: 'stylesheet', href: classroomStyles },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const data = await getLesson(lessonParams(params))
    const locale = localeFromCookieHeader(request.headers.get('cookie'))
    const here = `/courses/${data.course.slug}/${data.lesson.slug}`
    const html = renderMdxToHtml(data.code, { m: messagesFor(locale).content, locale, assets: data.assets, questions: data.questions, action: here, check: {} })
    const sections = splitSections(html)
    const total = Math.max(1, sections.length)
    const asked = Number(new URL(request.url).searchParams.get('s') ?? '1')
    const s = Number.isInteger(asked) ? Math.min(Math.max(asked, 1), total) : 1
    return {
      course: data.course,
      lesson: data.lesson,
      html: sections[s - 1] ?? '',
      s,
      total,
      next: data.next,
    }
  } catch (error) {
    throwAsResponse(error)
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.lesson.title} — ${data.course.title} — Bản Số` : 'Bản Số' }]

// Clickers send PageDown/PageUp (or arrow keys); follow the same links a mouse would.
const KEYS_SCRIPT = `document.addEventListener('keydown',function(e){if(e.altKey||e.ctrlKey||e.metaKey)return;var n={ArrowRight:'next',PageDown:'next',ArrowLeft:'prev',PageUp:'prev'}[e.key];var a=n&&document.querySelector('a[rel="'+n+'"]');if(a){e.preventDefault();location.href=a.href}})`

export default function ClassroomView() {
  const { course, lesson, html, s, total, next } = useLoaderData<typeof loader>()
  const { m } = useMessages()
  const t = m.offline.classroom
  const nonce = useNonce()
  const base = `/courses/${course.slug}/${lesson.slug}`
  const nextHref = s < total ? `${base}/classroom?s=${s + 1}` : next ? `/courses/${course.slug}/${next.slug}/classroom` : null
  return (
    <article className="classroom" aria-labelledby="classroom-title">
      <header className="classroom-header">
        <p id="classroom-title" className="classroom-title">
          {lesson.title}
        </p>
        <p className="classroom-part">{format(t.of, { n: s, total })}</p>
      </header>
      <div className="prose classroom-body" data-testid="classroom-section" dangerouslySetInnerHTML={{ __html: html }} />
      <nav className="classroom-pager" aria-label={t.pager}>
        {s > 1 ? (
          <Link to={`${base}/classroom?s=${s - 1}`} rel="prev">
            {t.previous}
          </Link>
        ) : (
          <span />
        )}
        <Link to={base} className="classroom-exit">
          {t.exit}
        </Link>
        {nextHref ? (
          <Link to={nextHref} rel="next">
            {t.next}
          </Link>
        ) : (
          <span />
        )}
      </nav>
      <p className="classroom-keys muted">{t.keys}</p>
      <script nonce={nonce} dangerouslySetInnerHTML={{ __html: KEYS_SCRIPT }} />
    </article>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
