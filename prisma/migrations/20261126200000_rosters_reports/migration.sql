-- CreateEnum
CREATE TYPE "RosterImportStatus" AS ENUM ('PREVIEW', 'APPLYING', 'DONE', 'FAILED', 'CANCELLED');

-- DropIndex
DROP INDEX "staff_record_agency_id_idx";

-- AlterTable
ALTER TABLE "staff_record" ADD COLUMN     "search_text" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "sort_key" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "roster_import" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "created_by_id" UUID,
    "file_name" TEXT NOT NULL,
    "file_sha256" TEXT NOT NULL,
    "status" "RosterImportStatus" NOT NULL DEFAULT 'PREVIEW',
    "total_rows" INTEGER NOT NULL,
    "new_count" INTEGER NOT NULL,
    "updated_count" INTEGER NOT NULL,
    "unchanged_count" INTEGER NOT NULL,
    "error_count" INTEGER NOT NULL,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "rows" JSONB NOT NULL DEFAULT '[]',
    "processed" INTEGER NOT NULL DEFAULT 0,
    "message" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "roster_import_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "roster_import_created_by_id_created_at_idx" ON "roster_import"("created_by_id", "created_at");

-- CreateIndex
CREATE INDEX "staff_record_agency_id_sort_key_idx" ON "staff_record"("agency_id", "sort_key");

-- AddForeignKey
ALTER TABLE "roster_import" ADD CONSTRAINT "roster_import_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- ─── Checks (written by hand: Prisma has no syntax for them) ───

ALTER TABLE "roster_import"
  ADD CONSTRAINT "roster_import_counts_non_negative" CHECK ("total_rows" >= 0 AND "new_count" >= 0 AND "updated_count" >= 0 AND "unchanged_count" >= 0 AND "error_count" >= 0),
  ADD CONSTRAINT "roster_import_processed_range" CHECK ("processed" BETWEEN 0 AND "total_rows"),
  ADD CONSTRAINT "roster_import_sha256_hex" CHECK ("file_sha256" ~ '^[0-9a-f]{64}$');
