// /admin/agencies — the agency tree in the actor's scope (admin: all), and a form to add one.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { FormAlert } from '~/components/form'
import { agencyScope, createAgency, listAgencyTree } from '~/modules/agency/admin.server'
import { CreateAgencySchema } from '~/modules/agency/schema'
import { AGENCY_TYPES } from '~/modules/agency/types'
import { clientInfo, requireUser } from '~/modules/auth/request.server'
import type { Messages } from '~/locales/types'
import { prisma } from '~/utils/db.server'
import { isAppError } from '~/utils/errors'
import { failureOf, formFailure, parseForm, typed } from '~/utils/forms'
import { format, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'
import { matchesSearch } from '~/utils/text'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.reports.agencies.title)
type ErrorKey = keyof Messages['reports']['errors']

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  const scope = await agencyScope(prisma(), actor).catch(throwAsResponse)
  const url = new URL(request.url)
  const all = url.searchParams.get('all') === '1'
  const q = (url.searchParams.get('q') ?? '').slice(0, 100)
  const tree = await listAgencyTree(prisma(), scope, { includeInactive: all })
  const shown = q ? tree.filter((a) => matchesSearch(`${a.name} ${a.code}`, q)) : tree
  return {
    all,
    q,
    admin: scope.ids === null,
    agencies: shown,
    parents: tree.filter((a) => a.status === 'ACTIVE').map((a) => ({ id: a.id, name: a.name, depth: a.depth })),
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireUser(request)
  const parsed = parseForm<typeof CreateAgencySchema, ErrorKey>(await request.formData(), CreateAgencySchema)
  if (!parsed.ok) return data(parsed.failure, { status: 400 })
  try {
    const agency = await createAgency(prisma(), actor, parsed.data, clientInfo(request, context).ip)
    return redirect(`/admin/agencies/${agency.id}?done=created`, 303)
  } catch (error) {
    if (isAppError(error) && error.code === 'BAD_INPUT') return data(formFailure(parsed.values, { formError: error.message as ErrorKey }), { status: 400 })
    throwAsResponse(error)
  }
}

export default function Agencies() {
  const { all, q, admin, agencies, parents } = useLoaderData<typeof loader>()
  const failure = failureOf<ErrorKey>(useActionData<typeof action>())
  const values = failure?.values
  const errorKey = failure ? (failure.formError ?? Object.values(failure.fieldErrors)[0]?.[0] ?? 'invalid') : null
  const { m, locale } = useMessages()
  const t = m.reports.agencies
  return (
    <section aria-labelledby="agencies-title">
      <h1 id="agencies-title">{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <Form method="get" className="report-filters" role="search">
        <div className="field">
          <label htmlFor="ag-q">{t.search}</label>
          <input id="ag-q" type="search" name="q" defaultValue={q} />
        </div>
        <label className="choice">
          <input type="checkbox" name="all" value="1" defaultChecked={all} /> {t.showInactive}
        </label>
        <button type="submit">{m.reports.staff.searchButton}</button>
      </Form>
      <p role="status">{format(t.count, { count: agencies.length }, locale)}</p>
      <div className="table-wrap">
        <table data-testid="agency-tree">
          <thead>
            <tr>
              <th scope="col">{t.columns.name}</th>
              <th scope="col">{t.columns.code}</th>
              <th scope="col">{t.columns.type}</th>
              <th scope="col" className="num">
                {t.columns.staff}
              </th>
              <th scope="col" className="num">
                {t.columns.headcount}
              </th>
              <th scope="col">{t.columns.status}</th>
            </tr>
          </thead>
          <tbody>
            {agencies.map((a) => (
              <tr key={a.id}>
                <td className={`depth-${Math.min(a.depth, 4)}`}>
                  <Link to={`/admin/agencies/${a.id}`}>{a.name}</Link>
                </td>
                <td>{a.code}</td>
                <td>{m.reports.agencyTypes[a.type]}</td>
                <td className="num">{a.staff}</td>
                <td className="num">{a.headcountManual ?? a.staff}</td>
                <td>{t.status[a.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 id="create-title">{t.create}</h2>
      {errorKey ? <FormAlert>{m.reports.errors[errorKey] ?? m.reports.errors.invalid}</FormAlert> : null}
      <Form method="post" className="narrow-form" aria-labelledby="create-title">
        <div className="field">
          <label htmlFor="ag-code">{t.code}</label>
          <p className="hint" id="ag-code-hint">
            {t.codeHint}
          </p>
          <input id="ag-code" name="code" required aria-describedby="ag-code-hint" defaultValue={typed(values, 'code')} aria-invalid={failure?.fieldErrors.code ? true : undefined} />
        </div>
        <div className="field">
          <label htmlFor="ag-name">{t.name}</label>
          <input id="ag-name" name="name" required defaultValue={typed(values, 'name')} aria-invalid={failure?.fieldErrors.name ? true : undefined} />
        </div>
        <div className="field">
          <label htmlFor="ag-type">{t.type}</label>
          <select id="ag-type" name="type" required defaultValue={typed(values, 'type', AGENCY_TYPES[0])}>
            {AGENCY_TYPES.map((ty) => (
              <option key={ty} value={ty}>
                {m.reports.agencyTypes[ty]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="ag-parent">{t.parent}</label>
          <select id="ag-parent" name="parentId" required={!admin} defaultValue={typed(values, 'parentId')}>
            {admin ? <option value="">{t.noParent}</option> : null}
            {parents.map((p) => (
              <option key={p.id} value={p.id}>
                {'\u00a0\u00a0'.repeat(p.depth)}
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="ag-headcount">{t.headcount}</label>
          <p className="hint" id="ag-headcount-hint">
            {t.headcountHint}
          </p>
          <input id="ag-headcount" name="headcountManual" inputMode="numeric" aria-describedby="ag-headcount-hint" defaultValue={typed(values, 'headcountManual')} aria-invalid={failure?.fieldErrors.headcountManual ? true : undefined} />
        </div>
        <button type="submit" className="button-primary">
          {t.create}
        </button>
      </Form>
    </section>
  )
}
