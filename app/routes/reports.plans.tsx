// /reports/plans — the yearly training plans of the agencies in the viewer's scope; a manager (or an
// admin) sets an agency's target: share of staff with a valid certificate of some courses by a date.
// Agencies without a plan follow the level above's (docs/decisions/020).
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { AgencyOptions } from '~/components/agency-options'
import { FormAlert } from '~/components/form'
import { listAgencyTree } from '~/modules/agency/admin.server'
import { clientInfo, requireUser } from '~/modules/auth/request.server'
import { listPlans, setPlan } from '~/modules/periods/plan.server'
import { PlanSchema } from '~/modules/periods/schema'
import { vnDay } from '~/modules/periods/types'
import { agencyScope } from '~/modules/scope/scope.server'
import { prisma } from '~/utils/db.server'
import { failureOf, parseForm, typed, typedAll } from '~/utils/forms'
import { useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'
import { refusalText, type PeriodErrorKey, type PeriodFailure } from '~/modules/periods/form-result'
import { refusal } from './reports.periods.server'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.periods.plans.title)

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  const scope = await agencyScope(prisma(), actor).catch(throwAsResponse)
  const asked = Number(new URL(request.url).searchParams.get('year'))
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : new Date().getFullYear()
  const [plans, agencies, courses] = await Promise.all([
    listPlans(prisma(), { ids: scope.ids, year }),
    listAgencyTree(prisma(), scope),
    prisma().course.findMany({ where: { retiredAt: null }, select: { id: true, title: true }, orderBy: { title: 'asc' } }),
  ])
  const title = new Map(courses.map((c) => [c.id, c.title]))
  return {
    year,
    plans: plans.map((p) => ({ id: p.id, agency: p.agency.name, target: p.targetPercent, courses: p.courseIds.map((id) => title.get(id) ?? '—'), dueOn: p.dueOn, by: p.setBy?.fullName ?? null })),
    agencies: agencies.map((a) => ({ id: a.id, name: a.name, depth: a.depth })),
    courses,
  }
}

type Result = { ok: true } | PeriodFailure

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireUser(request)
  const parsed = parseForm<typeof PlanSchema, PeriodErrorKey>(await request.formData(), PlanSchema, { repeated: ['courseIds'] })
  if (!parsed.ok) return data<Result>(parsed.failure, { status: 400 })
  try {
    await setPlan(prisma(), actor, parsed.data, clientInfo(request, context).ip)
    return data<Result>({ ok: true })
  } catch (error) {
    return refusal(error, parsed.values)
  }
}

export default function Plans() {
  const { year, plans, agencies, courses } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { m } = useMessages()
  const t = m.periods.plans
  const failure = failureOf<PeriodErrorKey>(result) as PeriodFailure | null
  const values = failure?.values ?? null
  return (
    <section aria-labelledby="plans-title">
      <h1 id="plans-title">{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <Form method="get" className="report-filters" aria-label={t.year}>
        <div className="field">
          <label htmlFor="pl-show-year">{t.year}</label>
          <input id="pl-show-year" name="year" inputMode="numeric" defaultValue={String(year)} />
        </div>
        <button type="submit">{t.show}</button>
      </Form>
      {plans.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <div className="table-wrap">
          <table className="report-table" data-testid="plans-table">
            <thead>
              <tr>
                <th scope="col">{t.columns.agency}</th>
                <th scope="col">{t.columns.target}</th>
                <th scope="col">{t.columns.courses}</th>
                <th scope="col">{t.columns.due}</th>
                <th scope="col">{t.columns.by}</th>
              </tr>
            </thead>
            <tbody>
              {plans.map((p) => (
                <tr key={p.id}>
                  <th scope="row">{p.agency}</th>
                  <td className="num">{p.target}%</td>
                  <td>{p.courses.length ? p.courses.join(', ') : m.periods.figures.anyCourse}</td>
                  <td>{vnDay(p.dueOn)}</td>
                  <td>{p.by ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2 id="plan-set-title">{t.set}</h2>
      {failure ? <FormAlert>{refusalText(m, failure)}</FormAlert> : null}
      {result?.ok ? <FormAlert tone="success">{t.saved}</FormAlert> : null}
      <Form method="post" className="narrow-form" aria-labelledby="plan-set-title">
        <div className="field">
          <label htmlFor="pl-agency">{t.agency}</label>
          <select id="pl-agency" name="agencyId" required defaultValue={typed(values, 'agencyId')}>
            <AgencyOptions agencies={agencies} empty="—" />
          </select>
        </div>
        <div className="field">
          <label htmlFor="pl-year">{t.year}</label>
          <input id="pl-year" name="year" inputMode="numeric" required defaultValue={typed(values, 'year', String(year))} />
        </div>
        <div className="field">
          <label htmlFor="pl-target">{t.target}</label>
          <input id="pl-target" name="targetPercent" inputMode="numeric" required defaultValue={typed(values, 'targetPercent', '100')} />
        </div>
        <fieldset className="field">
          <legend>{t.courses}</legend>
          {courses.map((c) => (
            <label key={c.id} className="choice">
              <input type="checkbox" name="courseIds" value={c.id} defaultChecked={typedAll(values, 'courseIds').includes(c.id)} /> {c.title}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="pl-due">{t.dueOn}</label>
          <input id="pl-due" name="dueOn" type="date" required defaultValue={typed(values, 'dueOn', `${year}-12-31`)} />
        </div>
        <button type="submit" className="button-primary">
          {t.submit}
        </button>
      </Form>
    </section>
  )
}
