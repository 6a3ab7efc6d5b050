// Another process on the same database: counts N sign-ups from one IP with the limiter's own code
// (tests/integration/rate-limit.test.ts then checks that the server sees them). Run with tsx:
//   tsx tests/setup/rate-limit-child.ts <database-url> <ip> <count> <signups-per-hour>
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from '@prisma/client'
import { budgetsFor, hit } from '~/server/rate-limit'
import { poolConfigFromUrl } from '~/utils/db.server'

const [url, ip, count, perHour] = process.argv.slice(2)
const prisma = new PrismaClient({ adapter: new PrismaPg(poolConfigFromUrl(url!)) })
const env = { RATE_LIMIT_POSTS_PER_MINUTE_IP: 1e6, RATE_LIMIT_POSTS_PER_MINUTE_ACCOUNT: 1e6, RATE_LIMIT_SIGNUPS_PER_HOUR_IP: Number(perHour), RATE_LIMIT_UPLOADS_PER_HOUR: 1e6 }
let allowed = 0
for (let i = 0; i < Number(count); i++) {
  const verdict = await hit(prisma, { ip: ip!, sessionId: null, budgets: budgetsFor(env, '/signup', 'application/x-www-form-urlencoded') })
  if (verdict.allowed) allowed++
}
await prisma.$disconnect()
console.log(JSON.stringify({ pid: process.pid, allowed }))
