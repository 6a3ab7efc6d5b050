// The action of a one-file spreadsheet upload page (the roster import, an attendance sheet): the
// size refused before the body is read (the part limit catches a lying header), one file per
// account at a time read under the upload limits (docs/decisions/017), and every refusal beside the
// file field, nothing typed to keep (docs/decisions/015).
import { data, MaxPartSizeExceededError, redirect, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from '@remix-run/node'
import { prisma } from '~/utils/db.server'
import { isAppError, type ErrorKey } from '~/utils/errors'
import { failureFromError, formFailure, formFields } from '~/utils/forms'
import { throwAsResponse } from '~/utils/responses.server'
import { withUploadSlot } from './upload.server'

/** Room for the multipart envelope around the file itself. */
const ENVELOPE_BYTES = 64 * 1024

/**
 * Reads the posted `file` and hands it to `read`, which stores a preview and returns the address to
 * send the person to (303). Over the limit: 413; no file or a broken body: 400; what `read` refuses
 * (malformed 400, over a limit 413, another file of theirs being read 409, server busy 503 with
 * Retry-After) comes back beside the field.
 */
export async function spreadsheetUploadAction(
  request: Request,
  { userId, maxBytes, read }: { userId: string; maxBytes: number; read: (file: { fileName: string; bytes: Uint8Array }) => Promise<string> },
) {
  const refuse = (key: ErrorKey, status: number, params?: Record<string, string | number>) => data(formFailure<ErrorKey>({}, { fieldErrors: { file: [key] }, params }), { status })
  const tooLarge = () => refuse('roster.tooLarge', 413, { mb: maxBytes / 1024 / 1024 })
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes + ENVELOPE_BYTES) return tooLarge()
  let form: FormData
  try {
    form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: maxBytes }))
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return tooLarge()
    return refuse('roster.noFile', 400)
  }
  const file = form.get('file')
  if (!(file instanceof File) || file.size === 0) return refuse('roster.noFile', 400)
  try {
    const bytes = new Uint8Array(await file.arrayBuffer())
    const to = await withUploadSlot(prisma(), userId, () => read({ fileName: file.name, bytes }))
    return redirect(to, 303)
  } catch (error) {
    if (isAppError(error) && ['BAD_INPUT', 'TOO_LARGE', 'CONFLICT', 'UNAVAILABLE'].includes(error.code))
      return data(failureFromError(formFields(form), error, { field: 'file' }), { status: error.status, headers: error.code === 'UNAVAILABLE' ? { 'Retry-After': '60' } : undefined })
    throwAsResponse(error)
  }
}
