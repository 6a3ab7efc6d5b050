// Another server process on the same database: runs the day's reminders and sends their mails with
// the app's own code, as the job loop of `npm start` does (tests/integration/reminders.test.ts runs
// two at once). Run with tsx:
//   tsx tests/setup/reminders-child.ts <database-url> <now ISO> <smtp-url>
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from '@prisma/client'
import { runDueJobs } from '~/modules/jobs/runner.server'
import { reminderJobs, runReminders } from '~/modules/reminders/service.server'
import { poolConfigFromUrl } from '~/utils/db.server'

const [url, nowIso, smtpUrl] = process.argv.slice(2)
const prisma = new PrismaClient({ adapter: new PrismaPg(poolConfigFromUrl(url!)) })
const env = { SMTP_URL: smtpUrl!, SMTP_FROM: 'Bản Số <nhac-viec@banso.example>', APP_ORIGIN: 'https://banso.example' }
const now = new Date(nowIso!)
const made = await runReminders(prisma, env, now)
const jobs = await runDueJobs(prisma, reminderJobs(() => env), { now: () => now })
await prisma.$disconnect()
console.log(JSON.stringify({ pid: process.pid, made, jobs }))
