import { getDatabase } from '~/utils/db.server'

/** Liveness and database check for load balancers and CI: 200 when a query answers, else 503. */
export async function loader() {
  const headers = { 'Cache-Control': 'no-store' }
  try {
    const db = getDatabase()
    await db.prisma.$queryRaw`SELECT 1`
    return Response.json({ status: 'ok', database: db.mode }, { headers })
  } catch (error) {
    console.error('[healthz] cơ sở dữ liệu không trả lời:', (error as Error).message)
    return Response.json({ status: 'error', database: 'unavailable' }, { status: 503, headers })
  }
}
