// /reports/periods/:periodId/:agencyId — one agency's report in one period: the draft figures (from
// the report engine) and the narrative while it is open; submit (frozen, a new version each time);
// the level above approves or returns with a reason; every version with who and when, and its
// exports (docs/decisions/020).
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { FormAlert } from '~/components/form'
import { FiguresBlock } from '~/components/periods'
import { clientInfo, requireUser } from '~/modules/auth/request.server'
import { periodLabel } from '~/modules/periods/labels'
import { NarrativeSchema, NARRATIVE_MAX, ReviewSchema, SubmitSchema } from '~/modules/periods/schema'
import { loadAgencyReport, reviewReport, saveDraft, submitReport } from '~/modules/periods/workflow.server'
import { prisma } from '~/utils/db.server'
import { failureOf, parseForm, typed } from '~/utils/forms'
import { format, formatDateTime, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { param, routeParams } from '~/utils/params.server'
import { readForm, throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'
import { refusalText, type PeriodErrorKey, type PeriodFailure } from '~/modules/periods/form-result'
import { refusal } from './reports.periods.server'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.periods.list.title)

const PARAMS = { periodId: param.uuid, agencyId: param.uuid }

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  const target = routeParams(params, PARAMS)
  const r = await loadAgencyReport(prisma(), actor, target).catch(throwAsResponse)
  return {
    period: { id: r.period.id, kind: r.period.kind, year: r.period.year, number: r.period.number, dueAt: r.period.dueAt.toISOString() },
    agency: r.agency,
    status: r.report.status,
    version: r.report.version,
    narrativeDraft: r.report.narrativeDraft,
    draft: r.draft,
    canSubmit: r.canSubmit,
    canReview: r.canReview,
    reviewerIsSubmitter: r.reviewerIsSubmitter,
    snapshots: r.snapshots.map((s) => ({
      id: s.id,
      version: s.version,
      figures: s.figures,
      narrative: s.narrative,
      submittedByName: s.submittedByName,
      submittedAt: s.submittedAt.toISOString(),
      late: s.late,
      review: s.review ? { decision: s.review.decision, reason: s.review.reason, reviewedByName: s.review.reviewedByName, reviewedAt: s.review.reviewedAt.toISOString() } : null,
    })),
  }
}

type Done = 'saved' | 'submitted' | 'approved' | 'returned'
type Result = { ok: true; done: Done; version?: number } | PeriodFailure

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireUser(request)
  const target = routeParams(params, PARAMS)
  const form = await readForm(request)
  const ip = clientInfo(request, context).ip
  const intent = form.get('intent')
  const db = prisma()
  if (intent === 'save' || intent === 'submit') {
    const parsed = parseForm<typeof NarrativeSchema, PeriodErrorKey>(form, intent === 'save' ? NarrativeSchema : SubmitSchema)
    if (!parsed.ok) return data<Result>(parsed.failure, { status: 400 })
    try {
      if (intent === 'save') {
        await saveDraft(db, actor, { ...target, narrative: parsed.data.narrative })
        return data<Result>({ ok: true, done: 'saved' })
      }
      const snapshot = await submitReport(db, actor, { ...target, narrative: parsed.data.narrative }, ip)
      return data<Result>({ ok: true, done: 'submitted', version: snapshot.version })
    } catch (error) {
      return refusal(error, parsed.values)
    }
  }
  const parsed = parseForm<typeof ReviewSchema, PeriodErrorKey>(form, ReviewSchema)
  if (!parsed.ok) return data<Result>(parsed.failure, { status: 400 })
  try {
    const review = parsed.data
    await reviewReport(db, actor, review.intent === 'approve' ? { ...target, decision: 'APPROVED', version: review.version } : { ...target, decision: 'RETURNED', version: review.version, reason: review.reason }, ip)
    return data<Result>({ ok: true, done: review.intent === 'approve' ? 'approved' : 'returned' })
  } catch (error) {
    return refusal(error, parsed.values)
  }
}

export default function AgencyPeriodReport() {
  const { period, agency, status, version, narrativeDraft, draft, canSubmit, canReview, reviewerIsSubmitter, snapshots } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { m, locale } = useMessages()
  const t = m.periods.report
  const failure = failureOf<PeriodErrorKey>(result) as PeriodFailure | null
  const values = failure?.values ?? null
  const label = periodLabel(m, period)
  const done = result?.ok ? { saved: t.saved, submitted: format(t.submitted, { version: String(result.version ?? version) }), approved: t.approved, returned: t.returned }[result.done] : null
  return (
    <section aria-labelledby="report-title">
      <p>
        <Link to={`/reports/periods/${period.id}?agency=${agency.id}`}>{t.overview}</Link>
      </p>
      <h1 id="report-title">{format(t.title, { period: label, agency: agency.name })}</h1>
      <p data-testid="report-status">
        <strong>{format(t.status, { status: m.periods.status[status] })}</strong> · {format(t.due, { due: formatDateTime(period.dueAt, locale, 'short') })}
      </p>
      {failure ? <FormAlert>{refusalText(m, failure)}</FormAlert> : null}
      {done ? <FormAlert tone="success">{done}</FormAlert> : null}

      {canReview && snapshots[0] ? (
        <section aria-labelledby="review-title" className="review-box">
          <h2 id="review-title">{t.reviewTitle}</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="approve" />
            <input type="hidden" name="version" value={snapshots[0].version} />
            <button type="submit" className="button-primary">
              {format(t.approve, { version: String(snapshots[0].version) })}
            </button>
          </Form>
          <Form method="post" className="narrow-form">
            <input type="hidden" name="intent" value="return" />
            <input type="hidden" name="version" value={snapshots[0].version} />
            <div className="field">
              <label htmlFor="rv-reason">{t.reason}</label>
              <textarea id="rv-reason" name="reason" rows={3} required minLength={5} maxLength={1000} defaultValue={typed(values, 'reason')} />
            </div>
            <button type="submit" className="button-danger">
              {t.return}
            </button>
          </Form>
        </section>
      ) : null}
      {reviewerIsSubmitter ? <p className="hint">{t.ownSubmission}</p> : null}

      {canSubmit && draft ? (
        <section aria-labelledby="draft-title">
          <h2 id="draft-title">{t.draftTitle}</h2>
          <p className="hint">{t.draftHint}</p>
          <FiguresBlock figures={draft} m={m} locale={locale} testId="draft-figures" peopleLinks />
          <Form method="post" className="narrow-form">
            <div className="field">
              <label htmlFor="rp-narrative">{t.narrative}</label>
              <p className="hint" id="rp-narrative-hint">
                {t.narrativeHint}
              </p>
              <textarea id="rp-narrative" name="narrative" rows={6} maxLength={NARRATIVE_MAX} aria-describedby="rp-narrative-hint" defaultValue={typed(values, 'narrative', narrativeDraft)} />
            </div>
            <label className="choice">
              <input type="checkbox" name="confirm" value="yes" /> {t.confirm}
            </label>
            <div className="button-row">
              <button type="submit" name="intent" value="save">
                {t.save}
              </button>
              <button type="submit" name="intent" value="submit" className="button-primary">
                {t.submit}
              </button>
            </div>
          </Form>
        </section>
      ) : null}

      <h2>{t.versions}</h2>
      {snapshots.length === 0 ? <p>{t.noVersions}</p> : null}
      {snapshots.map((s) => (
        <article key={s.id} className="snapshot" aria-labelledby={`v-${s.version}`} data-testid={`version-${s.version}`}>
          <h3 id={`v-${s.version}`}>{format(t.version, { version: String(s.version) })}</h3>
          <p>
            {format(t.submittedBy, { name: s.submittedByName, time: formatDateTime(s.submittedAt, locale, 'short') })} {s.late ? t.lateMark : null}
          </p>
          {s.review ? (
            <p data-testid={`review-${s.version}`}>
              {format(t.reviewed, { decision: t.decisions[s.review.decision], name: s.review.reviewedByName, time: formatDateTime(s.review.reviewedAt, locale, 'short') })}
              {s.review.reason ? ` — ${format(t.reasonShown, { reason: s.review.reason })}` : null}
            </p>
          ) : null}
          {s.narrative ? <blockquote className="narrative">{s.narrative}</blockquote> : null}
          <FiguresBlock figures={s.figures} m={m} locale={locale} />
          <ul className="report-exports">
            <li>
              <Link to={`/reports/snapshots/${s.id}/print`}>{t.print}</Link>
            </li>
            <li>
              <a href={`/reports/snapshots/${s.id}/xlsx`} download>
                {t.xlsx}
              </a>
            </li>
            <li>
              <a href={`/reports/snapshots/${s.id}/pdf`} download>
                {t.pdf}
              </a>
            </li>
          </ul>
        </article>
      ))}
    </section>
  )
}
