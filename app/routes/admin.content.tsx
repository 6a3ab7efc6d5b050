// /admin/content — reload the course content at run time (administrators; docs/decisions/025,
// amendment "content reload"). Two plain forms, no script: "preview" validates content/ and lists
// what the reload would create, change or retire; "apply" needs the confirmation box and the hash of
// what was previewed, and publishes it to every server process. A broken tree is refused with every
// problem listed, and nothing changes.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { FormAlert } from '~/components/form'
import { requireAdmin } from '~/modules/auth/permissions.server'
import { clientInfo, requireUser } from '~/modules/auth/request.server'
import { ReloadForm, type ReloadErrorKey } from '~/modules/content/schema'
import { ContentChangedError, previewReload, reloadByAdmin, servedContentVersion } from '~/modules/content/reload.server'
import { ContentError, getContentStore } from '~/modules/content/service.server'
import type { MirrorChange } from '~/modules/content/mirror.server'
import { formatProblem } from '~/modules/content/types'
import { readContentVersion } from '~/modules/content/version-row.server'
import { prisma } from '~/utils/db.server'
import { allErrors, failureOf, formFailure, parseForm, type FormFailure } from '~/utils/forms'
import { format, formatDateTime, useMessages } from '~/utils/i18n'
import { pageTitle } from '~/utils/meta'
import { throwAsResponse } from '~/utils/responses.server'
import type { RouteHandle } from '~/utils/route-handle'

export const handle: RouteHandle = { js: false }
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (m) => m.content.reload.title)

type ErrorKey = ReloadErrorKey | 'changedSincePreview'

async function admin(request: Request) {
  const actor = await requireUser(request)
  try {
    requireAdmin(actor)
  } catch (error) {
    throwAsResponse(error)
  }
  return actor
}

export async function loader({ request }: LoaderFunctionArgs) {
  await admin(request)
  const row = await readContentVersion(prisma())
  const by = row?.changedById ? await prisma().user.findUnique({ where: { id: row.changedById }, select: { fullName: true } }) : null
  const store = await getContentStore()
  return {
    row: row ? { version: row.version, at: row.changedAt.toISOString(), by: by?.fullName ?? null } : null,
    served: { version: servedContentVersion().version, courses: store.courses.length, lessons: store.courses.reduce((n, c) => n + c.lessons.length, 0) },
  }
}

type Change = Pick<MirrorChange, 'kind' | 'change' | 'courseSlug' | 'slug' | 'title'>
type Result =
  | { ok: true; done: 'preview'; hash: string; changes: Change[]; courses: number; lessons: number; sameAsServed: boolean }
  | { ok: true; done: 'apply'; version: number; bumped: boolean; changes: Change[] }
  | { ok: false; done: 'refused'; problems: string[] }
  | FormFailure<ErrorKey>

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await admin(request)
  const form = await request.formData()
  const parsed = parseForm<typeof ReloadForm, ErrorKey>(form, ReloadForm)
  if (!parsed.ok) return data<Result>(parsed.failure, { status: 400 })
  const changesOf = (changes: MirrorChange[]): Change[] => changes.map(({ kind, change, courseSlug, slug, title }) => ({ kind, change, courseSlug, slug, title }))
  const refused = (error: ContentError) => data<Result>({ ok: false, done: 'refused', problems: error.problems.map(formatProblem) }, { status: 422 })
  if (parsed.data.intent === 'preview') {
    const preview = await previewReload({ prisma: prisma() })
    if (!preview.ok) return refused(preview.error)
    return data<Result>({ ok: true, done: 'preview', hash: preview.hash, changes: changesOf(preview.changes), courses: preview.courses, lessons: preview.lessons, sameAsServed: preview.sameAsServed })
  }
  try {
    const done = await reloadByAdmin({ prisma: prisma(), actor, hash: parsed.data.hash!, ip: clientInfo(request, context).ip })
    return data<Result>({ ok: true, done: 'apply', version: done.version, bumped: done.bumped, changes: changesOf(done.changes) })
  } catch (error) {
    if (error instanceof ContentError) return refused(error)
    if (error instanceof ContentChangedError) return data<Result>(formFailure(parsed.values, { formError: 'changedSincePreview' }), { status: 409 })
    throwAsResponse(error)
  }
}

function ChangeTable({ changes }: { changes: Change[] }) {
  const { m } = useMessages()
  const t = m.content.reload
  const changeName = { created: t.changeCreated, updated: t.changeUpdated, retired: t.changeRetired }
  return (
    <div className="table-wrap">
      <table data-testid="reload-changes">
        <thead>
          <tr>
            <th scope="col">{t.columns.change}</th>
            <th scope="col">{t.columns.kind}</th>
            <th scope="col">{t.columns.slug}</th>
            <th scope="col">{t.columns.title}</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr key={`${c.kind}/${c.courseSlug}/${c.slug}`}>
              <td>{changeName[c.change]}</td>
              <td>{c.kind === 'course' ? t.kindCourse : t.kindLesson}</td>
              <td>{c.kind === 'course' ? `/courses/${c.slug}` : `/courses/${c.courseSlug}/${c.slug}`}</td>
              <td>{c.title}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export default function ContentAdmin() {
  const { row, served } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { m, locale } = useMessages()
  const t = m.content.reload
  const failure = failureOf<ErrorKey>(result)
  const errors = allErrors(failure)
  const errorText: Record<ErrorKey, string> = t.errors
  const formError = errors.form?.[0] ?? errors.confirm?.[0] ?? errors.hash?.[0] ?? errors.intent?.[0]
  return (
    <section aria-labelledby="content-reload-title">
      <h1 id="content-reload-title">{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <p data-testid="content-version">
        {row ? format(t.current, { version: row.version, at: formatDateTime(row.at, locale, 'short'), by: row.by ? format(t.currentBy, { name: row.by }) : '' }, locale) : t.none}
      </p>
      <p>{format(t.served, served, locale)}</p>
      <p className="hint">{t.cli}</p>
      {formError ? <FormAlert>{errorText[formError]}</FormAlert> : null}

      {result && 'done' in result && result.done === 'refused' ? (
        <div data-testid="reload-refused">
          <FormAlert>{format(t.refusedTitle, { n: result.problems.length }, locale)}</FormAlert>
          <ul>
            {result.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}

      {result && 'done' in result && result.done === 'apply' ? (
        <div data-testid="reload-applied">
          <FormAlert tone="success">{result.bumped ? format(t.applied, { version: result.version, n: result.changes.length }, locale) : format(t.unchanged, { version: result.version }, locale)}</FormAlert>
          {result.changes.length > 0 ? <ChangeTable changes={result.changes} /> : null}
        </div>
      ) : null}

      <Form method="post">
        <input type="hidden" name="intent" value="preview" />
        <button type="submit">{t.preview}</button>
      </Form>

      {result && 'done' in result && result.done === 'preview' ? (
        <div data-testid="reload-preview">
          <h2>{t.previewTitle}</h2>
          <p>{format(t.previewValid, { courses: result.courses, lessons: result.lessons }, locale)}</p>
          {result.changes.length === 0 ? <p>{t.previewNone}</p> : <ChangeTable changes={result.changes} />}
          {result.sameAsServed ? <p className="hint">{t.previewServedSame}</p> : null}
          {result.changes.some((c) => c.change === 'retired') ? <p className="hint">{t.retiredNote}</p> : null}
          <Form method="post">
            <input type="hidden" name="intent" value="apply" />
            <input type="hidden" name="hash" value={result.hash} />
            <label className="choice">
              <input type="checkbox" name="confirm" value="yes" required /> {t.confirm}
            </label>
            <button type="submit" className="button-primary">
              {t.apply}
            </button>
          </Form>
        </div>
      ) : null}
    </section>
  )
}
