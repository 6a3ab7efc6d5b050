// /training/:sessionId/sheet — the sign-in sheet to print on A4 and take to the village: the
// administrative heading, the session's details, the people already on the list and empty rows to
// fill in by hand (name, year of birth, gender, ethnicity, village, phone, signature). In Vietnamese,
// the language of the paper, whatever the reader's; no JavaScript.
import { AdminHeading } from '~/components/admin-heading'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '~/modules/auth/request.server'
import { vnDay } from '~/modules/periods/types'
import { sessionDetail } from '~/modules/training/pages.server'
import { prisma } from '~/utils/db.server'
import { format, messagesFor } from '~/utils/i18n'
import { param, routeParams } from '~/utils/params.server'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = () => [{ title: messagesFor('vi').training.sheet.title }]

/** Rows on the sheet: everyone already on the list, then empty ones (at least 10, at least 25 in all). */
const MIN_ROWS = 25
const MIN_BLANK = 10

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  const { sessionId } = routeParams(params, { sessionId: param.uuid })
  const { session, agency, attendees } = await sessionDetail(prisma(), actor, sessionId).catch(throwAsResponse)
  return {
    session,
    agency,
    attendees: attendees.map((a) => ({ id: a.id, fullName: a.fullName, birthYear: a.birthYear, gender: a.gender, ethnicity: a.ethnicity, village: a.village, phone: a.phone })),
    blank: Math.max(MIN_BLANK, MIN_ROWS - attendees.length),
  }
}

export default function SignInSheet() {
  const { session, agency, attendees, blank } = useLoaderData<typeof loader>()
  const m = messagesFor('vi')
  const t = m.training.sheet
  const s = m.training.session
  const [year, month, day] = session.startsOn.split('-')
  const dates = session.startsOn === session.endsOn ? vnDay(session.startsOn) : `${vnDay(session.startsOn)} – ${vnDay(session.endsOn)}`
  const place = [session.village, session.commune].filter(Boolean).join(', ')
  return (
    <article className="print-page sign-in-sheet" lang="vi" aria-labelledby="sheet-title">
      <p className="no-print">
        <Link to={`/training/${session.id}`}>← {session.topic}</Link> · {t.print}
      </p>
      <AdminHeading parent={agency.parent} agency={agency.name} nation={t.nation} motto={t.motto} dateLine={format(t.dateLine, { place: session.commune, day: day!, month: month!, year: year! }, 'vi')} />
      <h1 id="sheet-title" className="print-center">
        {t.title}
      </h1>
      <dl className="facts" data-testid="sheet-facts">
        <dt>{s.topic}</dt>
        <dd>{session.course ? `${session.topic} (${session.course.title})` : session.topic}</dd>
        <dt>{s.dates}</dt>
        <dd>{dates}</dd>
        <dt>{s.place}</dt>
        <dd>{place}</dd>
        <dt>{s.minutes}</dt>
        <dd>{format(s.minutesValue, { minutes: session.minutes }, 'vi')}</dd>
        {session.trainers ? (
          <>
            <dt>{s.trainers}</dt>
            <dd>{session.trainers}</dd>
          </>
        ) : null}
        <dt>{s.organiser}</dt>
        <dd>{agency.name}</dd>
      </dl>
      <table className="report-table sign-in-table" data-testid="sheet-rows">
        <thead>
          <tr>
            <th scope="col">{t.columns.no}</th>
            <th scope="col">{t.columns.name}</th>
            <th scope="col">{t.columns.birthYear}</th>
            <th scope="col">{t.columns.gender}</th>
            <th scope="col">{t.columns.ethnicity}</th>
            <th scope="col">{t.columns.village}</th>
            <th scope="col">{t.columns.phone}</th>
            <th scope="col">{t.columns.signature}</th>
          </tr>
        </thead>
        <tbody>
          {attendees.map((a, i) => (
            <tr key={a.id}>
              <td>{i + 1}</td>
              <td>{a.fullName}</td>
              <td>{a.birthYear ?? ''}</td>
              <td>{a.gender ?? ''}</td>
              <td>{a.ethnicity ?? ''}</td>
              <td>{a.village}</td>
              <td>{a.phone ?? ''}</td>
              <td />
            </tr>
          ))}
          {Array.from({ length: blank }, (_, i) => (
            <tr key={`blank-${i}`} className="blank-row">
              <td>{attendees.length + i + 1}</td>
              <td />
              <td />
              <td />
              <td />
              <td />
              <td />
              <td />
            </tr>
          ))}
        </tbody>
      </table>
      <div className="print-signatures">
        <div>
          <strong>{t.trainer}</strong>
          <br />
          <em>{t.signHint}</em>
        </div>
        <div>
          <strong>{t.organiser}</strong>
          <br />
          <em>{t.signHint}</em>
        </div>
      </div>
    </article>
  )
}
