import type { Sql } from '~/utils/db.server'

/** Everything about the public schema that a migration decides, as comparable plain data. */
export async function describeSchema(sql: Sql) {
  const columns = await sql.query(
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default,
            character_maximum_length, numeric_precision, numeric_scale, collation_name
       FROM information_schema.columns
      WHERE table_schema = 'public'
      ORDER BY table_name, column_name`,
  )
  const constraints = await sql.query(
    `SELECT conrelid::regclass::text AS table_name, conname, contype::text AS contype,
            pg_get_constraintdef(oid) AS definition
       FROM pg_constraint
      WHERE connamespace = 'public'::regnamespace AND contype IN ('p', 'f', 'u', 'c')
      ORDER BY 1, 2`,
  )
  const indexes = await sql.query(
    `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2`,
  )
  const enums = await sql.query(
    `SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
      WHERE t.typnamespace = 'public'::regnamespace
      GROUP BY t.typname ORDER BY t.typname`,
  )
  return { columns, constraints, indexes, enums }
}
