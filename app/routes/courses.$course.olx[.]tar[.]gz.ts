// /courses/:course/olx.tar.gz?lessons=…&bank=1 — the course (or the chosen lessons) as an Open edX
// course for Studio's Tools → Import. Public like the SCORM package: lessons, pictures, self-check
// questions and the licence. ?bank=1 adds the graded question bank with its answers: admins only.
import fs from 'node:fs'
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/request.server'
import { buildOlx, parseOlxQuery } from '~/modules/offline/olx.server'
import { isAdmin } from '~/modules/scope/scope.server'
import { AppError } from '~/utils/errors'
import { throwAsResponse } from '~/utils/responses.server'
import { param, routeParams } from '~/utils/params.server'
import { olxRequest } from './packs.server'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  try {
    const { course } = routeParams(params, { course: param.slug })
    const query = parseOlxQuery(new URL(request.url))
    if (query.bank && !isAdmin(await requireUser(request))) throw new AppError('FORBIDDEN', 'olx.bankAdminOnly')
    const built = await buildOlx(await olxRequest(request, context.connectionOrigin, { courseSlug: course, ...query }))
    return new Response(new Uint8Array(await fs.promises.readFile(built.file)), {
      headers: {
        'Content-Type': 'application/gzip',
        'Content-Length': String(built.bytes),
        'Content-Disposition': `attachment; filename="${built.fileName}"`,
        // The bank's answers are for the admin who asked: never kept by a shared cache.
        'Cache-Control': query.bank ? 'private, no-store' : 'public, max-age=300',
        'X-Pack-File': built.file.split('/').pop()!,
      },
    })
  } catch (error) {
    throwAsResponse(error)
  }
}
