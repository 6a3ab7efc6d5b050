// /admin/agencies/:id — one agency: facts, rename and headcount, move, merge (with confirmation),
// deactivate/reactivate, sub-agencies, agencies merged into it, and its history with old names.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { FormAlert } from '~/components/form'
import { agencyScope, getAgency, listAgencyTree, mergeAgency, moveAgency, setAgencyActive, updateAgency } from '~/modules/agency/admin.server'
import { AgencyActionSchema } from '~/modules/agency/schema'
import { clientInfo, requireUser } from '~/modules/auth/request.server'
import type { Messages } from '~/locales/types'
import { prisma } from '~/utils/db.server'
import { isAppError } from '~/utils/errors'
import { failureOf, formFailure, parseForm, typed } from '~/utils/forms'
import { format, formatDateTime, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'
import { param, routeParams } from '~/utils/params.server'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.reports.agencies.title)
type ErrorKey = keyof Messages['reports']['errors']

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  const scope = await agencyScope(prisma(), actor).catch(throwAsResponse)
  const { agency, names } = await getAgency(prisma(), scope, routeParams(params, { agencyId: param.uuid }).agencyId).catch(throwAsResponse)
  const tree = await listAgencyTree(prisma(), scope)
  // Possible parents and merge targets: active agencies in scope, not this one or below it.
  const below = new Set<string>([agency.id])
  for (const a of tree) if (a.parentId && below.has(a.parentId)) below.add(a.id)
  return {
    isScopeRoot: scope.roots?.includes(agency.id) ?? false,
    agency: {
      id: agency.id,
      code: agency.code,
      name: agency.name,
      type: agency.type,
      status: agency.status,
      note: agency.note,
      headcountManual: agency.headcountManual,
      staff: agency._count.staff,
      assignments: agency._count.assignments,
      parent: agency.parent,
      mergedInto: agency.mergedInto,
      mergedAt: agency.mergedAt?.toISOString() ?? null,
      children: agency.children,
      mergedFrom: agency.mergedFrom.map((a) => ({ ...a, mergedAt: a.mergedAt?.toISOString() ?? null })),
      history: agency.history.map((h) => ({
        id: String(h.id),
        change: h.change,
        at: h.at.toISOString(),
        oldName: h.oldName,
        newName: h.newName,
        oldParent: h.oldParentId ? (names.get(h.oldParentId) ?? '—') : '—',
        newParent: h.newParentId ? (names.get(h.newParentId) ?? '—') : '—',
        target: h.targetId ? (names.get(h.targetId) ?? '—') : '—',
        actor: h.actor?.fullName ?? null,
      })),
    },
    options: tree.filter((a) => !below.has(a.id)).map((a) => ({ id: a.id, name: a.name, depth: a.depth })),
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireUser(request)
  const id = routeParams(params, { agencyId: param.uuid }).agencyId
  const parsed = parseForm<typeof AgencyActionSchema, ErrorKey>(await request.formData(), AgencyActionSchema)
  if (!parsed.ok) return data(parsed.failure, { status: 400 })
  const ip = clientInfo(request, context).ip
  const db = prisma()
  try {
    const a = parsed.data
    if (a.intent === 'update') await updateAgency(db, actor, { id, name: a.name, headcountManual: a.headcountManual }, ip)
    if (a.intent === 'move') await moveAgency(db, actor, { id, parentId: a.parentId }, ip)
    if (a.intent === 'merge') await mergeAgency(db, actor, { id, targetId: a.targetId }, ip)
    if (a.intent === 'deactivate' || a.intent === 'reactivate') await setAgencyActive(db, actor, { id, active: a.intent === 'reactivate' }, ip)
    return redirect(`/admin/agencies/${id}?done=${a.intent === 'merge' ? 'merged' : 'saved'}`, 303)
  } catch (error) {
    if (isAppError(error) && error.code === 'BAD_INPUT')
      return data(formFailure(parsed.values, { formError: error.message as ErrorKey, params: { count: Number(error.details?.count ?? 0) } }), { status: 400 })
    throwAsResponse(error)
  }
}

export default function AgencyPage() {
  const { agency, options, isScopeRoot } = useLoaderData<typeof loader>()
  const result = failureOf<ErrorKey>(useActionData<typeof action>())
  const errorKey = result ? (result.formError ?? Object.values(result.fieldErrors)[0]?.[0] ?? 'invalid') : null
  // After a refusal, the form that was sent shows what was typed into it.
  const again = (intent: string, name: string, saved: string) => (result && typed(result.values, 'intent') === intent ? typed(result.values, name, saved) : saved)
  const [search] = useSearchParams()
  const { m, locale } = useMessages()
  const t = m.reports.agencies
  const done = search.get('done')
  const active = agency.status === 'ACTIVE'
  const optionList = options.map((o) => (
    <option key={o.id} value={o.id}>
      {'\u00a0\u00a0'.repeat(o.depth)}
      {o.name}
    </option>
  ))
  return (
    <section aria-labelledby="agency-title">
      <p>
        <Link to="/admin/agencies">← {t.back}</Link>
      </p>
      <h1 id="agency-title">{agency.name}</h1>
      {result && errorKey ? (
        <FormAlert>{format(m.reports.errors[errorKey] ?? m.reports.errors.invalid, { count: result.params?.count ?? 0 }, locale)}</FormAlert>
      ) : null}
      {!result && done === 'created' ? <FormAlert tone="success">{t.created}</FormAlert> : null}
      {!result && done === 'saved' ? <FormAlert tone="success">{t.saved}</FormAlert> : null}
      {!result && done === 'merged' ? <FormAlert tone="success">{t.merged}</FormAlert> : null}
      <dl className="facts">
        <dt>{t.code}</dt>
        <dd>{agency.code}</dd>
        <dt>{t.type}</dt>
        <dd>{m.reports.agencyTypes[agency.type]}</dd>
        <dt>{t.parent}</dt>
        <dd>{agency.parent ? <Link to={`/admin/agencies/${agency.parent.id}`}>{agency.parent.name}</Link> : '—'}</dd>
        <dt>{t.columns.status}</dt>
        <dd data-testid="agency-status">
          {t.status[agency.status]}
          {agency.mergedInto ? (
            <>
              {' '}
              ·{' '}
              {format(t.mergedInto, { target: agency.mergedInto.name, date: agency.mergedAt ? formatDateTime(agency.mergedAt, locale, 'short') : '' }, locale)}
            </>
          ) : null}
        </dd>
        <dt>{t.staffCount}</dt>
        <dd>{agency.staff}</dd>
        <dt>{t.headcount}</dt>
        <dd>{agency.headcountManual ?? format(t.headcountAuto, { count: agency.staff }, locale)}</dd>
      </dl>

      {active ? (
        <>
          <h2 id="rename-title">{t.rename}</h2>
          <Form method="post" className="narrow-form" aria-labelledby="rename-title">
            <input type="hidden" name="intent" value="update" />
            <div className="field">
              <label htmlFor="ag-name">{t.name}</label>
              <input id="ag-name" name="name" required defaultValue={again('update', 'name', agency.name)} />
            </div>
            <div className="field">
              <label htmlFor="ag-headcount">{t.headcount}</label>
              <p className="hint" id="ag-headcount-hint">
                {t.headcountHint}
              </p>
              <input id="ag-headcount" name="headcountManual" inputMode="numeric" defaultValue={again('update', 'headcountManual', agency.headcountManual === null ? '' : String(agency.headcountManual))} aria-describedby="ag-headcount-hint" />
            </div>
            <button type="submit">{t.save}</button>
          </Form>

          {!isScopeRoot ? (
            <>
              <h2 id="move-title">{t.move}</h2>
              <Form method="post" className="narrow-form" aria-labelledby="move-title">
                <input type="hidden" name="intent" value="move" />
                <div className="field">
                  <label htmlFor="ag-parent">{t.parent}</label>
                  <select id="ag-parent" name="parentId" required defaultValue={again('move', 'parentId', agency.parent?.id ?? '')}>
                    {optionList}
                  </select>
                </div>
                <button type="submit">{t.moveButton}</button>
              </Form>

              <h2 id="merge-title">{t.merge}</h2>
              <p>{t.mergeHint}</p>
              {agency.assignments > 0 ? <p>{format(t.mergeAssignments, { count: agency.assignments }, locale)}</p> : null}
              <Form method="post" className="narrow-form" aria-labelledby="merge-title">
                <input type="hidden" name="intent" value="merge" />
                <div className="field">
                  <label htmlFor="ag-target">{t.mergeTarget}</label>
                  <select id="ag-target" name="targetId" required defaultValue={again('merge', 'targetId', '')}>
                    <option value="">—</option>
                    {optionList}
                  </select>
                </div>
                <label className="choice">
                  <input type="checkbox" name="confirm" value="yes" required /> {t.mergeConfirm}
                </label>
                <button type="submit" className="button-danger">
                  {t.mergeButton}
                </button>
              </Form>

              <h2 id="deactivate-title">{t.deactivate}</h2>
              <p>{t.deactivateHint}</p>
              <Form method="post" className="narrow-form" aria-labelledby="deactivate-title">
                <input type="hidden" name="intent" value="deactivate" />
                <label className="choice">
                  <input type="checkbox" name="confirm" value="yes" required /> {t.deactivateConfirm}
                </label>
                <button type="submit" className="button-danger">
                  {t.deactivate}
                </button>
              </Form>
            </>
          ) : null}
        </>
      ) : agency.status === 'INACTIVE' && !isScopeRoot ? (
        <Form method="post">
          <input type="hidden" name="intent" value="reactivate" />
          <button type="submit">{t.reactivate}</button>
        </Form>
      ) : null}

      {agency.children.length ? (
        <>
          <h2>{t.children}</h2>
          <ul>
            {agency.children.map((c) => (
              <li key={c.id}>
                <Link to={`/admin/agencies/${c.id}`}>{c.name}</Link> ({c.code}){c.status !== 'ACTIVE' ? ` — ${t.status[c.status]}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {agency.mergedFrom.length ? (
        <>
          <h2>{t.mergedFrom}</h2>
          <ul data-testid="merged-from">
            {agency.mergedFrom.map((a) => (
              <li key={a.id}>
                <Link to={`/admin/agencies/${a.id}`}>{a.name}</Link> ({a.code}){a.mergedAt ? ` — ${formatDateTime(a.mergedAt, locale, 'short')}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>{t.history}</h2>
      <ol className="plain-list" data-testid="agency-history">
        {agency.history.map((h) => (
          <li key={h.id}>
            {formatDateTime(h.at, locale, 'short')}:{' '}
            {format(t.changes[h.change], { old: h.oldName ?? '', new: h.newName ?? '', oldParent: h.oldParent, newParent: h.newParent, target: h.target }, locale)}
            {h.actor ? ` (${format(t.by, { name: h.actor }, locale)})` : ''}
          </li>
        ))}
      </ol>
    </section>
  )
}
