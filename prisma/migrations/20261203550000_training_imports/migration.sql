-- Attendance sheets imported into a training session: the preview (good rows, problems with their
-- line numbers) stored until the organiser confirms it once (issue 19, docs/decisions/023).
CREATE TYPE "TrainingImportStatus" AS ENUM ('PREVIEW', 'DONE', 'CANCELLED');

CREATE TABLE "training_import" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "session_id" UUID NOT NULL,
    "created_by_id" UUID,
    "file_name" TEXT NOT NULL,
    "status" "TrainingImportStatus" NOT NULL DEFAULT 'PREVIEW',
    "total_rows" INTEGER NOT NULL,
    "rows" JSONB NOT NULL DEFAULT '[]',
    "problems" JSONB NOT NULL DEFAULT '[]',
    "inserted_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "training_import_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "training_import_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "training_session"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "training_import_session_id_idx" ON "training_import"("session_id");

-- A citizen recorded offline on a phone carries the phone's random id: the first arrival records
-- them, a retried sync of the same id changes nothing (exactly once, as offline lesson progress).
ALTER TABLE "training_attendee" ADD COLUMN "client_id" TEXT;
CREATE UNIQUE INDEX "training_attendee_client_id_key" ON "training_attendee"("client_id");
