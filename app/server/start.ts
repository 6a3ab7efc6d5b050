// `npm start` (production build, embedded database unless DATABASE_URL) and `npm run dev`.
// Start-up failures end with one plain line on stderr and exit code 1, never a stack trace.
// The environment is checked before the app's modules load (Prisma, React, sharp, exceljs…: seconds
// of CPU on a slow machine), so a bad variable is reported at once; app/server/serve.ts does the rest.
import { ConfigError, parseEnv } from '~/utils/env.server'

const dev = process.argv.includes('--dev')
// A deployment says NODE_ENV=production itself; it then never rebuilds on its own.
const deployed = process.env.NODE_ENV === 'production'
// The built server runs React and Remix in production mode; `npm run dev` in development mode
// (set before React is loaded: it chooses its build when first imported).
process.env.NODE_ENV ??= dev ? 'development' : 'production'

function fail(message: string): never {
  process.stderr.write(`${message}\n`)
  process.exit(1)
}

/** A bad variable: one line each. Anything else (the database, a migration, the content, a refusal, the port): one line. */
function explain(error: unknown): string {
  if (error instanceof ConfigError) return error.problems.join('\n')
  return `Không khởi động được: ${(error as Error)?.message ?? String(error)}`
}

async function main() {
  const env = parseEnv()
  const { serve } = await import('./serve')
  await serve(env, { dev, deployed, root: process.cwd() })
}

main().catch((error: unknown) => fail(explain(error)))
