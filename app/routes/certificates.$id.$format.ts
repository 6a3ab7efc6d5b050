// /certificates/:id/{pdf,png,jwt} — the files of a certificate, for the same people as its page.
// PDF and PNG are drawn once and cached on disk; the credential is signed on request.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/request.server'
import { signCredential } from '~/modules/certificate/credential.server'
import { contentDisposition, keptOrigin } from '~/modules/certificate/origin.server'
import { certificateFile } from '~/modules/certificate/render.server'
import { certificateForViewer } from '~/modules/certificate/service.server'
import { getEnv } from '~/utils/env.server'
import { throwAsResponse } from '~/utils/responses.server'
import { param, routeParams } from '~/utils/params.server'

const TYPES = { pdf: 'application/pdf', png: 'image/png', jwt: 'application/vc+jwt' } as const

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { format } = routeParams(params, { format: param.oneOf(['pdf', 'png', 'jwt']) })
  const actor = await requireUser(request)
  const c = await certificateForViewer({ actor, id: routeParams(params, { id: param.uuid }).id }).catch(throwAsResponse)
  // Kept on disk and trusted by whoever scans it: never a host the request chose.
  const origin = keptOrigin(request, context.connectionOrigin)
  const env = getEnv()
  const fileName = `${c.number} ${c.holderName}.${format}`
  const headers = { 'Content-Type': TYPES[format], 'Content-Disposition': contentDisposition(fileName), 'Cache-Control': 'private, no-cache' }
  if (format === 'jwt') return new Response(await signCredential(c, origin), { headers })
  const { body } = await certificateFile(
    { number: c.number, holderName: c.holderName, agencyName: c.agencyName, courseTitle: c.courseTitle, courseVersion: c.courseVersion, standardCodes: c.standardCodes, issuedAt: c.issuedAt, expiresAt: c.expiresAt, verifyUrl: `${origin}/verify/${c.code}` },
    format,
    env.CERTIFICATE_CACHE_DIR,
    { maxFiles: env.CERTIFICATE_CACHE_MAX_FILES, maxBytes: env.CERTIFICATE_CACHE_MAX_MB * 1024 * 1024 },
  )
  return new Response(new Uint8Array(body), { headers: { ...headers, 'Content-Length': String(body.length) } })
}
