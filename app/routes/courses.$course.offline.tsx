// /courses/:course/offline — choose lessons, see the pack's size, download it (ZIP for USB sticks
// and school PCs) or the whole course as SCORM 1.2. A GET form: works without JavaScript.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormAlert } from '~/components/form'
import { getCourse } from '~/modules/content/service.server'
import { buildPack, formatBytes } from '~/modules/offline/pack.server'
import { buildOlx } from '~/modules/offline/olx.server'
import { format, localeFromCookieHeader, useMessages } from '~/utils/i18n'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'
import { lessonsParam, olxRequest, packRequest } from './packs.server'
import { param, routeParams } from '~/utils/params.server'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.course.title} — Bản Số` : 'Bản Số' }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const courseSlug = routeParams(params, { course: param.slug }).course
  const url = new URL(request.url)
  const locale = localeFromCookieHeader(request.headers.get('cookie'))
  try {
    const { course } = await getCourse({ courseSlug })
    const chosenParam = lessonsParam(url)
    const submitted = url.searchParams.has('show')
    if (submitted && chosenParam.length === 0) {
      return { course, chosen: [], pack: null, scorm: null, olx: null, noneChosen: true }
    }
    const chosen = chosenParam.length ? chosenParam : course.lessons.map((l) => l.slug)
    const [pack, scorm, olx] = await Promise.all([
      buildPack(await packRequest(request, context.connectionOrigin, { courseSlug, kind: 'offline', lessons: chosen })),
      buildPack(await packRequest(request, context.connectionOrigin, { courseSlug, kind: 'scorm' })),
      buildOlx(await olxRequest(request, context.connectionOrigin, { courseSlug, lessons: chosen, bank: false })),
    ])
    const query = chosen.length === course.lessons.length ? '' : `?${chosen.map((s) => `lessons=${encodeURIComponent(s)}`).join('&')}`
    return {
      course,
      chosen,
      pack: { lessons: pack.lessons, size: formatBytes(pack.bytes, locale), bytes: pack.bytes, href: `/courses/${courseSlug}/offline.zip${query}` },
      scorm: { size: formatBytes(scorm.bytes, locale), bytes: scorm.bytes, href: `/courses/${courseSlug}/scorm.zip` },
      olx: { size: formatBytes(olx.bytes, locale), bytes: olx.bytes, href: `/courses/${courseSlug}/olx.tar.gz${query}` },
      noneChosen: false,
    }
  } catch (error) {
    throwAsResponse(error)
  }
}

export default function OfflinePage() {
  const { course, chosen, pack, scorm, olx, noneChosen } = useLoaderData<typeof loader>()
  const { m } = useMessages()
  const t = m.offline.pack
  const picked = new Set(chosen)
  return (
    <section aria-labelledby="offline-title">
      <nav aria-label={m.content.course.breadcrumb} className="breadcrumb">
        <Link to="/courses">{m.content.catalogue.title}</Link> › <Link to={`/courses/${course.slug}`}>{course.title}</Link>
      </nav>
      <h1 id="offline-title">{format(t.title, { course: course.title })}</h1>
      <p className="lead">{t.lead}</p>
      {noneChosen ? <FormAlert>{t.noneChosen}</FormAlert> : null}
      {pack ? (
        <p data-testid="pack-size">
          {format(t.size, { n: pack.lessons, size: pack.size })}{' '}
          <a href={pack.href} download className="button button-primary" data-bytes={pack.bytes}>
            {format(t.download, { size: pack.size })}
          </a>
        </p>
      ) : null}
      <Form method="get">
        <fieldset>
          <legend>{t.choose}</legend>
          <ul className="lesson-choice">
            {course.lessons.map((l) => (
              <li key={l.slug}>
                <label>
                  <input type="checkbox" name="lessons" value={l.slug} defaultChecked={picked.has(l.slug)} /> {l.position}. {l.title}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <input type="hidden" name="show" value="1" />
        <button type="submit">{t.showSize}</button>
      </Form>
      {scorm ? (
        <section aria-labelledby="scorm-title">
          <h2 id="scorm-title">{t.scormTitle}</h2>
          <p>{t.scormLead}</p>
          <p>
            <a href={scorm.href} download data-testid="scorm-link" data-bytes={scorm.bytes}>
              {format(t.scormDownload, { size: scorm.size })}
            </a>
          </p>
        </section>
      ) : null}
      {olx ? (
        <section aria-labelledby="olx-title">
          <h2 id="olx-title">{t.olxTitle}</h2>
          <p>{t.olxLead}</p>
          <p>
            <a href={olx.href} download data-testid="olx-link" data-bytes={olx.bytes}>
              {format(t.olxDownload, { size: olx.size })}
            </a>
          </p>
        </section>
      ) : null}
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
