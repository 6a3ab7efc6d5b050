#!/usr/bin/env bash
# Writes a new migration: the SQL that takes the schema of the last migration to the current
# prisma/schema.prisma. It needs no database: Prisma's shadow-database commands do not work with
# the WASM schema engine used here (docs/decisions/002-prisma-6.md).
#
# The "schema of the last migration" is schema.prisma as committed with the newest migration, so
# commit a schema change together with its migration. tests/integration/schema-drift.test.ts fails
# when schema.prisma and the migrations disagree.
#
# Review the SQL, add CHECK constraints by hand where the model needs them, then commit both.
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?Cách dùng: npm run db:new-migration -- <tên_migration_viết_thường>}"
[[ "$name" =~ ^[a-z0-9_]+$ ]] || { echo "Tên migration chỉ gồm a-z, 0-9 và _" >&2; exit 1; }

last_commit=$(git log -1 --format=%H -- prisma/migrations)
previous=$(mktemp --suffix=.prisma)
trap 'rm -f "$previous"' EXIT
git show "$last_commit:prisma/schema.prisma" > "$previous"

sql=$(npx prisma migrate diff --from-schema-datamodel "$previous" --to-schema-datamodel prisma/schema.prisma --script 2>/dev/null)
if ! grep -qvE '^(--.*)?$' <<<"$sql"; then
  echo "schema.prisma không đổi so với migration cuối cùng: không có gì để tạo."
  exit 0
fi
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_$name"
mkdir -p "$dir"
printf '%s\n' "$sql" > "$dir/migration.sql"
echo "Đã viết $dir/migration.sql — hãy đọc lại trước khi commit."
