#!/usr/bin/env bash
# Writes a new migration from the difference between prisma/migrations and schema.prisma.
# Needs a local PostgreSQL (for the shadow database): DATABASE_URL or the default below.
# Review the SQL, add CHECK constraints by hand if the model needs them, then commit it.
set -euo pipefail
name="${1:?Cách dùng: npm run db:new-migration -- <tên_migration>}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ban_so_dev}"
npx prisma migrate dev --create-only --name "$name"
