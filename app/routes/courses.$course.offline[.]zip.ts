// /courses/:course/offline.zip?lessons=… — the offline pack (whole course, or the chosen lessons).
import fs from 'node:fs'
import type { LoaderFunctionArgs } from '@remix-run/node'
import { buildPack } from '~/modules/offline/pack.server'
import { throwAsResponse } from '~/utils/responses.server'
import { lessonsParam, packRequest, zipResponse } from './packs.server'
import { param, routeParams } from '~/utils/params.server'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  try {
    const pack = await buildPack(await packRequest(request, context.connectionOrigin, { courseSlug: routeParams(params, { course: param.slug }).course, kind: 'offline', lessons: lessonsParam(new URL(request.url)) }))
    return zipResponse(pack.file, pack.bytes, pack.fileName, new Uint8Array(await fs.promises.readFile(pack.file)))
  } catch (error) {
    throwAsResponse(error)
  }
}
