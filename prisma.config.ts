// Prisma CLI configuration (migration authoring and `prisma generate`).
// The app itself never runs the Prisma CLI: it applies prisma/migrations with its own migrator
// (app/utils/migrate.server.ts) in both database modes. See docs/decisions/002-prisma-6.md and 004.
import path from 'node:path'
import { PrismaPg } from '@prisma/adapter-pg'
import { defineConfig } from 'prisma/config'

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/ban_so_dev'

// The CLI insists on env("DATABASE_URL") in the schema, even for `generate`.
process.env.DATABASE_URL ??= DEFAULT_URL

function adapterFromUrl(raw: string) {
  const url = new URL(raw)
  // Separate fields, not a connection string: otherwise the shadow database points at the main one.
  return new PrismaPg({
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    password: decodeURIComponent(url.password),
    database: url.pathname.slice(1),
    idleTimeoutMillis: 100,
  })
}

export default defineConfig({
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  engine: 'js',
  experimental: { adapter: true },
  adapter: async () => adapterFromUrl(process.env.DATABASE_URL ?? DEFAULT_URL),
})
