// /courses/:course/scorm.zip — the whole course as a SCORM 1.2 package (each lesson a SCO).
import fs from 'node:fs'
import type { LoaderFunctionArgs } from '@remix-run/node'
import { buildPack } from '~/modules/offline/pack.server'
import { throwAsResponse } from '~/utils/responses.server'
import { packRequest, zipResponse } from './packs.server'
import { param, routeParams } from '~/utils/params.server'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  try {
    const pack = await buildPack(await packRequest(request, context.connectionOrigin, { courseSlug: routeParams(params, { course: param.slug }).course, kind: 'scorm' }))
    return zipResponse(pack.file, pack.bytes, pack.fileName, new Uint8Array(await fs.promises.readFile(pack.file)))
  } catch (error) {
    throwAsResponse(error)
  }
}
