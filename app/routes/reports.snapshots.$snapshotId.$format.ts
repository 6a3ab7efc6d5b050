// /reports/snapshots/:snapshotId/xlsx|pdf — a submitted (frozen) report as an Excel workbook or an
// A4 PDF, for the agency's managers, the level above and admins (404 for anyone else).
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/modules/auth/request.server'
import { contentDisposition } from '~/modules/certificate/origin.server'
import { snapshotFileName, snapshotSheet } from '~/modules/periods/export.server'
import { snapshotPdf } from '~/modules/periods/pdf.server'
import { loadSnapshot } from '~/modules/periods/workflow.server'
import { prisma } from '~/utils/db.server'
import { publicOrigin } from '~/utils/origin.server'
import { param, routeParams } from '~/utils/params.server'
import { throwAsResponse } from '~/utils/responses.server'
import { toXlsx } from '~/utils/spreadsheet.server'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireUser(request)
  const { snapshotId, format } = routeParams(params, { snapshotId: param.uuid, format: param.oneOf(['xlsx', 'pdf']) })
  const snapshot = await loadSnapshot(prisma(), actor, snapshotId).catch(throwAsResponse)
  const verifyUrl = `${publicOrigin(request)}/verify/report/${snapshot.verifyCode}`
  if (format === 'pdf') {
    return new Response(new Uint8Array(await snapshotPdf(snapshot, verifyUrl)), {
      headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': contentDisposition(snapshotFileName(snapshot, 'pdf')), 'Cache-Control': 'private, no-store' },
    })
  }
  return new Response(new Uint8Array(await toXlsx(snapshotSheet(snapshot, verifyUrl))), {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': contentDisposition(snapshotFileName(snapshot, 'xlsx')),
      'Cache-Control': 'private, no-store',
    },
  })
}
