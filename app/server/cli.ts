// `npm run db:migrate` (apply pending migrations) and `npm run db:seed` (migrate, then seed what
// is missing). Both are safe to repeat.
import { openDatabase } from '~/utils/db.server'
import { ConfigError, describeDatabase, parseEnv } from '~/utils/env.server'
import { migrate } from '~/utils/migrate.server'
import { boot } from './boot'

const command = process.argv[2]
if (command !== 'migrate' && command !== 'seed') {
  process.stderr.write('Cách dùng: tsx app/server/cli.ts migrate|seed\n')
  process.exit(2)
}
try {
  const env = parseEnv()
  console.log(`[db] ${describeDatabase(env)}`)
  if (command === 'seed') {
    await (await boot(env)).close()
  } else {
    const db = await openDatabase({ databaseUrl: env.DATABASE_URL, pgliteDataDir: env.PGLITE_DATA_DIR })
    try {
      const result = await migrate(db)
      console.log(`[db] ${result.applied.length} migration mới, ${result.alreadyApplied} đã có từ trước`)
    } finally {
      await db.close()
    }
  }
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.problems.join('\n') : (error as Error).message}\n`)
  process.exit(1)
}
