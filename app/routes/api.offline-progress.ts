// POST /api/offline-progress — a "lesson done" queued on a phone while offline (public/offline.js).
// JSON in, JSON out; 401 (not a redirect to the sign-in page) when the session is gone, so the
// phone keeps the mark and tries again later.
import type { ActionFunctionArgs } from '@remix-run/node'
import { getCurrentUser } from '~/modules/auth/request.server'
import { OfflineDoneSchema, recordOfflineDone } from '~/modules/learning/offline-sync.server'
import { isAppError } from '~/utils/errors'

const json = (body: Record<string, unknown>, init?: ResponseInit) => Response.json(body, { ...init, headers: { 'Cache-Control': 'no-store' } })

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== 'POST') return json({ ok: false, error: 'POST only' }, { status: 405 })
  const user = await getCurrentUser(request)
  if (!user) return json({ ok: false, error: 'Bạn cần đăng nhập lại để gửi tiến độ.' }, { status: 401 })
  let body: unknown
  try {
    body = await request.json()
  } catch {
    return json({ ok: false, error: 'Dữ liệu gửi lên không đọc được.' }, { status: 400 })
  }
  const parsed = OfflineDoneSchema.safeParse(body)
  if (!parsed.success) return json({ ok: false, error: 'Dữ liệu gửi lên không hợp lệ.' }, { status: 400 })
  try {
    const result = await recordOfflineDone({ userId: user.id, mark: parsed.data })
    return json({ ok: true, ...result })
  } catch (error) {
    if (isAppError(error)) return json({ ok: false, error: error.message }, { status: error.status })
    throw error
  }
}

export function loader() {
  return json({ ok: false, error: 'POST only' }, { status: 405 })
}
