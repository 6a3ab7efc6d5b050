-- A role granted twice (issue 14.5): the unique index on (user_id, role, agency_id) let NULL
-- agencies be distinct, so an ADMIN (agency NULL) could be granted any number of times.
-- Keep the oldest grant of each (user, role, agency), then make NULL one value in the index
-- (NULLS NOT DISTINCT: PostgreSQL 15+, PGlite is 18). Prisma cannot express it; schema.prisma keeps
-- @@unique([userId, role, agencyId]) and the drift test knows this clause is hand-written.
DELETE FROM "role_grant" g
USING "role_grant" keep
WHERE g."user_id" = keep."user_id"
  AND g."role" = keep."role"
  AND g."agency_id" IS NOT DISTINCT FROM keep."agency_id"
  AND (keep."granted_at", keep."id") < (g."granted_at", g."id");

DROP INDEX "role_grant_user_id_role_agency_id_key";
CREATE UNIQUE INDEX "role_grant_user_id_role_agency_id_key" ON "role_grant"("user_id", "role", "agency_id") NULLS NOT DISTINCT;
