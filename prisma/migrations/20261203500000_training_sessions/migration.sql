-- In-person training sessions and their attendees (issue 19, docs/decisions/023).
CREATE TYPE "TrainingAttendeeKind" AS ENUM ('STAFF', 'ACCOUNT', 'CITIZEN');

CREATE TABLE "training_session" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "agency_id" UUID NOT NULL,
    "starts_on" DATE NOT NULL,
    "ends_on" DATE NOT NULL,
    "commune" TEXT NOT NULL,
    "village" TEXT NOT NULL DEFAULT '',
    "trainers" TEXT NOT NULL DEFAULT '',
    "course_slug" TEXT,
    "topic" TEXT NOT NULL,
    "minutes" INTEGER NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "training_session_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "training_session_agency_id_fkey" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "training_session_dates" CHECK ("ends_on" >= "starts_on"),
    CONSTRAINT "training_session_minutes" CHECK ("minutes" > 0 AND "minutes" <= 100000)
);
CREATE INDEX "training_session_agency_id_starts_on_idx" ON "training_session"("agency_id", "starts_on");

CREATE TABLE "training_attendee" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "session_id" UUID NOT NULL,
    "kind" "TrainingAttendeeKind" NOT NULL,
    "staff_record_id" UUID,
    "user_id" UUID,
    "full_name" TEXT NOT NULL,
    "birth_year" INTEGER,
    "village" TEXT NOT NULL DEFAULT '',
    "phone" TEXT,
    "gender" TEXT,
    "ethnicity" TEXT,
    "citizen_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "training_attendee_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "training_attendee_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "training_session"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "training_attendee_kind_fields" CHECK (
        ("kind" = 'STAFF' AND "staff_record_id" IS NOT NULL) OR
        ("kind" = 'ACCOUNT' AND "user_id" IS NOT NULL) OR
        ("kind" = 'CITIZEN' AND "citizen_key" IS NOT NULL AND "birth_year" IS NOT NULL)
    )
);
CREATE UNIQUE INDEX "training_attendee_session_id_staff_record_id_key" ON "training_attendee"("session_id", "staff_record_id");
CREATE UNIQUE INDEX "training_attendee_session_id_user_id_key" ON "training_attendee"("session_id", "user_id");
CREATE UNIQUE INDEX "training_attendee_session_id_citizen_key_key" ON "training_attendee"("session_id", "citizen_key");
CREATE INDEX "training_attendee_citizen_key_idx" ON "training_attendee"("citizen_key");
