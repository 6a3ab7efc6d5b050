-- AlterTable
ALTER TABLE "training_session" ADD COLUMN     "check_max_score" INTEGER,
ADD COLUMN     "check_pass_score" INTEGER,
ADD COLUMN     "lesson_slugs" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "training_attendee" ADD COLUMN     "check_score" INTEGER,
ADD COLUMN     "checked_at" TIMESTAMPTZ(3),
ADD COLUMN     "sort_key" TEXT NOT NULL DEFAULT '';

-- The end-of-session check (issue 19, docs/decisions/023): no check, or a highest score of 1–1000
-- and a pass score from 0 to it (IS NOT NULL spelled out: a CHECK that evaluates to NULL passes); a recorded score within 0–1000 (the service also holds it to the
-- session's highest score).
ALTER TABLE "training_session" ADD CONSTRAINT "training_session_check_scores"
  CHECK ((check_max_score IS NULL AND check_pass_score IS NULL)
      OR (check_max_score IS NOT NULL AND check_pass_score IS NOT NULL
          AND check_max_score BETWEEN 1 AND 1000 AND check_pass_score BETWEEN 0 AND check_max_score));
ALTER TABLE "training_attendee" ADD CONSTRAINT "training_attendee_check_score"
  CHECK (check_score IS NULL OR check_score BETWEEN 0 AND 1000);
ALTER TABLE "training_attendee" ADD CONSTRAINT "training_attendee_checked_at"
  CHECK ((check_score IS NULL) = (checked_at IS NULL));
ALTER TABLE "training_session" ADD CONSTRAINT "training_session_lessons_need_course"
  CHECK (cardinality(lesson_slugs) = 0 OR course_slug IS NOT NULL);

-- Rows written before the sort key existed: an approximate key (the folded name) until they are
-- written again; new rows get personSortKey (Vietnamese order by given name).
UPDATE "training_attendee" SET "sort_key" = lower("full_name") WHERE "sort_key" = '';
