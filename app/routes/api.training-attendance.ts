// POST /api/training-attendance — a citizen recorded on a phone while offline (/training-offline.js).
// JSON in, JSON out; 401 (not a redirect to the sign-in page) when the session is gone, so the
// phone keeps the entry and tries again later. The same entry sent twice is recorded once.
import type { ActionFunctionArgs } from '@remix-run/node'
import { getCurrentUser } from '~/modules/auth/request.server'
import { OfflineAttendeeSchema, recordOfflineAttendee } from '~/modules/training/offline.server'
import { prisma } from '~/utils/db.server'
import { isAppError } from '~/utils/errors'

const json = (body: Record<string, unknown>, init?: ResponseInit) => Response.json(body, { ...init, headers: { 'Cache-Control': 'no-store' } })

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== 'POST') return json({ ok: false, error: 'Chỉ nhận POST.' }, { status: 405 })
  const user = await getCurrentUser(request)
  if (!user) return json({ ok: false, error: 'Bạn cần đăng nhập lại để gửi danh sách.' }, { status: 401 })
  let body: unknown
  try {
    body = await request.json()
  } catch {
    return json({ ok: false, error: 'Dữ liệu gửi lên không đọc được.' }, { status: 400 })
  }
  const parsed = OfflineAttendeeSchema.safeParse(body)
  if (!parsed.success) return json({ ok: false, error: 'Dữ liệu gửi lên không hợp lệ.' }, { status: 400 })
  try {
    return json({ ok: true, ...(await recordOfflineAttendee(prisma(), user, parsed.data)) })
  } catch (error) {
    if (isAppError(error)) return json({ ok: false, error: error.message, key: error.key }, { status: error.status })
    throw error
  }
}

export function loader() {
  return json({ ok: false, error: 'Chỉ nhận POST.' }, { status: 405 })
}
