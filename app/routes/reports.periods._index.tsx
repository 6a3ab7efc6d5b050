// /reports/periods — the reporting periods (newest first) with how many agencies of the viewer's
// scope have reported; an admin opens a new period here (docs/decisions/020).
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { AgencyOptions } from '~/components/agency-options'
import { FormAlert } from '~/components/form'
import { listAgencyTree } from '~/modules/agency/admin.server'
import { AGENCY_TYPES } from '~/modules/agency/types'
import { clientInfo, requireUser } from '~/modules/auth/request.server'
import { periodLabel } from '~/modules/periods/labels'
import { listPeriods, openPeriod } from '~/modules/periods/period.server'
import { OpenPeriodSchema } from '~/modules/periods/schema'
import { PERIOD_KINDS, vnDay } from '~/modules/periods/types'
import { agencyScope, isAdmin } from '~/modules/scope/scope.server'
import { prisma } from '~/utils/db.server'
import { failureOf, parseForm, typed, typedAll } from '~/utils/forms'
import { format, formatDateTime, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'
import { refusalText, type PeriodErrorKey, type PeriodFailure } from '~/modules/periods/form-result'
import { refusal } from './reports.periods.server'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.periods.list.title)

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  const scope = await agencyScope(prisma(), actor).catch(throwAsResponse)
  const admin = isAdmin(actor)
  const [periods, agencies] = await Promise.all([listPeriods(prisma(), scope.ids), admin ? listAgencyTree(prisma(), scope) : Promise.resolve([])])
  return {
    admin,
    periods: periods.map((p) => ({ ...p, starts_on: p.starts_on.toISOString().slice(0, 10), ends_on: p.ends_on.toISOString().slice(0, 10), due_at: p.due_at.toISOString() })),
    agencies: agencies.map((a) => ({ id: a.id, name: a.name, depth: a.depth })),
  }
}

type Result = { ok: true; agencies: number } | PeriodFailure

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireUser(request)
  if (!isAdmin(actor)) throw new Response('403 — Chỉ quản trị viên mới mở được kỳ báo cáo. (Admins only.)', { status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  const parsed = parseForm<typeof OpenPeriodSchema, PeriodErrorKey>(await request.formData(), OpenPeriodSchema, { repeated: ['agencyTypes'] })
  if (!parsed.ok) return data<Result>(parsed.failure, { status: 400 })
  try {
    const opened = await openPeriod(prisma(), actor, parsed.data, clientInfo(request, context).ip)
    return data<Result>({ ok: true, agencies: opened.agencies })
  } catch (error) {
    return refusal(error, parsed.values)
  }
}

export default function Periods() {
  const { admin, periods, agencies } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { m, locale } = useMessages()
  const t = m.periods
  const failure = failureOf<PeriodErrorKey>(result) as PeriodFailure | null
  const values = failure?.values ?? null
  return (
    <section aria-labelledby="periods-title">
      <h1 id="periods-title">{t.list.title}</h1>
      <p className="lead">{t.list.lead}</p>
      <p>
        <Link to="/reports/plans">{t.list.plans}</Link>
      </p>
      {periods.length === 0 ? (
        <p>{t.list.none}</p>
      ) : (
        <div className="table-wrap">
          <table className="report-table" data-testid="periods-table">
            <thead>
              <tr>
                <th scope="col">{t.list.columns.period}</th>
                <th scope="col">{t.list.columns.dates}</th>
                <th scope="col">{t.list.columns.due}</th>
                <th scope="col">{t.list.columns.progress}</th>
                <th scope="col">{t.list.columns.approved}</th>
              </tr>
            </thead>
            <tbody>
              {periods.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <Link to={`/reports/periods/${p.id}`}>{periodLabel(m, p)}</Link>
                  </th>
                  <td>
                    {vnDay(p.starts_on)} – {vnDay(p.ends_on)}
                  </td>
                  <td>{formatDateTime(p.due_at, locale, 'short')}</td>
                  <td className="num">
                    {p.reported}/{p.expected}
                  </td>
                  <td className="num">{p.approved}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {admin ? (
        <>
          <h2 id="open-title">{t.open.title}</h2>
          {failure ? <FormAlert>{refusalText(m, failure)}</FormAlert> : null}
          {result?.ok ? <FormAlert tone="success">{format(t.open.opened, { count: result.agencies })}</FormAlert> : null}
          <Form method="post" className="narrow-form" aria-labelledby="open-title">
            <div className="field">
              <label htmlFor="op-kind">{t.open.kind}</label>
              <select id="op-kind" name="kind" required defaultValue={typed(values, 'kind', 'QUARTER')}>
                {PERIOD_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t.kindNames[k]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="op-year">{t.open.year}</label>
              <input id="op-year" name="year" inputMode="numeric" required defaultValue={typed(values, 'year', String(new Date().getFullYear()))} />
            </div>
            <div className="field">
              <label htmlFor="op-number">{t.open.number}</label>
              <input id="op-number" name="number" inputMode="numeric" required defaultValue={typed(values, 'number', '1')} />
            </div>
            <div className="field">
              <label htmlFor="op-due">{t.open.dueOn}</label>
              <input id="op-due" name="dueOn" type="date" required defaultValue={typed(values, 'dueOn')} />
            </div>
            <fieldset className="field">
              <legend>{t.open.types}</legend>
              {AGENCY_TYPES.map((type) => (
                <label key={type} className="choice">
                  <input type="checkbox" name="agencyTypes" value={type} defaultChecked={typedAll(values, 'agencyTypes').includes(type)} /> {m.reports.agencyTypes[type]}
                </label>
              ))}
            </fieldset>
            <div className="field">
              <label htmlFor="op-root">{t.open.subtree}</label>
              <select id="op-root" name="subtreeRootId" defaultValue={typed(values, 'subtreeRootId')}>
                <AgencyOptions agencies={agencies} empty={t.open.wholeTree} />
              </select>
            </div>
            <button type="submit" className="button-primary">
              {t.open.submit}
            </button>
          </Form>
        </>
      ) : null}
    </section>
  )
}
