
-- CreateEnum
CREATE TYPE "AgencyType" AS ENUM ('PROVINCE', 'DEPARTMENT', 'PARTY', 'FRONT', 'COMMUNE', 'WARD', 'SCHOOL', 'UNIT');

-- CreateEnum
CREATE TYPE "AgencyStatus" AS ENUM ('ACTIVE', 'MERGED', 'INACTIVE');

-- CreateEnum
CREATE TYPE "AgencyChange" AS ENUM ('CREATED', 'RENAMED', 'MOVED', 'MERGED', 'DEACTIVATED', 'REACTIVATED', 'HEADCOUNT_SET');

-- CreateEnum
CREATE TYPE "PersonKind" AS ENUM ('CIVIL_SERVANT', 'TEACHER', 'CITIZEN', 'STUDENT');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('TEACHER', 'AGENCY_MANAGER', 'ADMIN');

-- CreateEnum
CREATE TYPE "Audience" AS ENUM ('CIVIL_SERVANTS', 'TEACHERS', 'CITIZENS');

-- CreateEnum
CREATE TYPE "AttemptStatus" AS ENUM ('OPEN', 'SUBMITTED');

-- CreateTable
CREATE TABLE "agency" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" "AgencyType" NOT NULL,
    "parent_id" UUID,
    "status" "AgencyStatus" NOT NULL DEFAULT 'ACTIVE',
    "merged_into_id" UUID,
    "merged_at" TIMESTAMPTZ(3),
    "headcount_manual" INTEGER,
    "note" TEXT,
    "is_sample" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "agency_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agency_history" (
    "id" BIGSERIAL NOT NULL,
    "agency_id" UUID NOT NULL,
    "change" "AgencyChange" NOT NULL,
    "old_name" TEXT,
    "new_name" TEXT,
    "old_parent_id" UUID,
    "new_parent_id" UUID,
    "target_id" UUID,
    "actor_id" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agency_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_user" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "full_name" TEXT NOT NULL,
    "email" TEXT,
    "phone" TEXT,
    "password_hash" TEXT,
    "kind" "PersonKind" NOT NULL,
    "agency_id" UUID,
    "job_title" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'vi',
    "is_demo" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "id" TEXT NOT NULL,
    "secret_hash" BYTEA NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_active_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "ip" TEXT,
    "user_agent" TEXT,

    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "role_grant" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "agency_id" UUID,
    "granted_by_id" UUID,
    "granted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "role_grant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "login_attempt" (
    "id" BIGSERIAL NOT NULL,
    "identifier" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "success" BOOLEAN NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "login_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "password_reset_token" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "token_hash" BYTEA NOT NULL,
    "user_id" UUID NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "password_reset_token_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" UUID,
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "ip" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "staff_record" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "staff_code" TEXT NOT NULL,
    "full_name" TEXT NOT NULL,
    "email" TEXT,
    "job_title" TEXT,
    "agency_id" UUID NOT NULL,
    "user_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "staff_record_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "course" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "audiences" "Audience"[],
    "topic" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "estimated_hours" DECIMAL(5,1) NOT NULL,
    "standard_codes" TEXT[],
    "pass_mark" INTEGER NOT NULL,
    "validity_months" INTEGER,
    "licence" TEXT NOT NULL DEFAULT 'CC-BY-4.0',
    "authors" TEXT[],
    "version" TEXT NOT NULL,
    "content_hash" TEXT NOT NULL,
    "retired_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "course_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lesson" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "course_id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "minutes" INTEGER NOT NULL,
    "standard_codes" TEXT[],
    "content_hash" TEXT NOT NULL,
    "retired_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "lesson_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "enrolment" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "enrolled_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "enrolment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lesson_progress" (
    "enrolment_id" UUID NOT NULL,
    "lesson_id" UUID NOT NULL,
    "completed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lesson_progress_pkey" PRIMARY KEY ("enrolment_id","lesson_id")
);

-- CreateTable
CREATE TABLE "quiz_attempt" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "enrolment_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "status" "AttemptStatus" NOT NULL DEFAULT 'OPEN',
    "draw" JSONB NOT NULL,
    "content_version" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deadline_at" TIMESTAMPTZ(3),
    "submitted_at" TIMESTAMPTZ(3),
    "score_percent" DECIMAL(5,2),
    "passed" BOOLEAN,

    CONSTRAINT "quiz_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "quiz_answer" (
    "attempt_id" UUID NOT NULL,
    "question_id" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "saved_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "points" DECIMAL(6,3),
    "correct" BOOLEAN,

    CONSTRAINT "quiz_answer_pkey" PRIMARY KEY ("attempt_id","question_id")
);

-- CreateTable
CREATE TABLE "course_completion" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "enrolment_id" UUID NOT NULL,
    "attempt_id" UUID NOT NULL,
    "completed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "course_completion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "certificate" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "number" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "completion_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "agency_id" UUID,
    "holder_name" TEXT NOT NULL,
    "agency_name" TEXT,
    "course_title" TEXT NOT NULL,
    "course_version" TEXT NOT NULL,
    "standard_codes" TEXT[],
    "issued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_reason" TEXT,
    "revoked_by_id" UUID,
    "superseded_by_id" UUID,

    CONSTRAINT "certificate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "issuer_key" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kid" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL DEFAULT 'EdDSA',
    "public_jwk" JSONB NOT NULL,
    "private_key" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retired_at" TIMESTAMPTZ(3),

    CONSTRAINT "issuer_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "course_assignment" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "course_id" UUID NOT NULL,
    "agency_id" UUID NOT NULL,
    "job_titles" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "course_assignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "class" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "school_id" UUID NOT NULL,
    "teacher_id" UUID NOT NULL,
    "join_code" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "archived_at" TIMESTAMPTZ(3),

    CONSTRAINT "class_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "class_member" (
    "class_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "pin_hash" TEXT,
    "joined_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "class_member_pkey" PRIMARY KEY ("class_id","user_id")
);

-- CreateTable
CREATE TABLE "class_assignment" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "class_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "lesson_id" UUID,
    "due_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "class_assignment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "agency_code_key" ON "agency"("code");

-- CreateIndex
CREATE INDEX "agency_parent_id_idx" ON "agency"("parent_id");

-- CreateIndex
CREATE INDEX "agency_type_idx" ON "agency"("type");

-- CreateIndex
CREATE INDEX "agency_history_agency_id_at_idx" ON "agency_history"("agency_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_email_key" ON "app_user"("email");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_phone_key" ON "app_user"("phone");

-- CreateIndex
CREATE INDEX "app_user_agency_id_idx" ON "app_user"("agency_id");

-- CreateIndex
CREATE INDEX "session_user_id_idx" ON "session"("user_id");

-- CreateIndex
CREATE INDEX "session_expires_at_idx" ON "session"("expires_at");

-- CreateIndex
CREATE INDEX "role_grant_agency_id_idx" ON "role_grant"("agency_id");

-- CreateIndex
CREATE UNIQUE INDEX "role_grant_user_id_role_agency_id_key" ON "role_grant"("user_id", "role", "agency_id");

-- CreateIndex
CREATE INDEX "login_attempt_identifier_at_idx" ON "login_attempt"("identifier", "at");

-- CreateIndex
CREATE INDEX "login_attempt_ip_at_idx" ON "login_attempt"("ip", "at");

-- CreateIndex
CREATE UNIQUE INDEX "password_reset_token_token_hash_key" ON "password_reset_token"("token_hash");

-- CreateIndex
CREATE INDEX "password_reset_token_user_id_idx" ON "password_reset_token"("user_id");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE INDEX "audit_log_actor_id_at_idx" ON "audit_log"("actor_id", "at");

-- CreateIndex
CREATE INDEX "audit_log_target_type_target_id_idx" ON "audit_log"("target_type", "target_id");

-- CreateIndex
CREATE UNIQUE INDEX "staff_record_staff_code_key" ON "staff_record"("staff_code");

-- CreateIndex
CREATE UNIQUE INDEX "staff_record_user_id_key" ON "staff_record"("user_id");

-- CreateIndex
CREATE INDEX "staff_record_agency_id_idx" ON "staff_record"("agency_id");

-- CreateIndex
CREATE INDEX "staff_record_email_idx" ON "staff_record"("email");

-- CreateIndex
CREATE UNIQUE INDEX "course_slug_key" ON "course"("slug");

-- CreateIndex
CREATE INDEX "lesson_course_id_position_idx" ON "lesson"("course_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "lesson_course_id_slug_key" ON "lesson"("course_id", "slug");

-- CreateIndex
CREATE INDEX "enrolment_course_id_completed_at_idx" ON "enrolment"("course_id", "completed_at");

-- CreateIndex
CREATE UNIQUE INDEX "enrolment_user_id_course_id_key" ON "enrolment"("user_id", "course_id");

-- CreateIndex
CREATE INDEX "lesson_progress_lesson_id_idx" ON "lesson_progress"("lesson_id");

-- CreateIndex
CREATE INDEX "quiz_attempt_user_id_idx" ON "quiz_attempt"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "quiz_attempt_enrolment_id_number_key" ON "quiz_attempt"("enrolment_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "course_completion_attempt_id_key" ON "course_completion"("attempt_id");

-- CreateIndex
CREATE INDEX "course_completion_enrolment_id_idx" ON "course_completion"("enrolment_id");

-- CreateIndex
CREATE UNIQUE INDEX "certificate_number_key" ON "certificate"("number");

-- CreateIndex
CREATE UNIQUE INDEX "certificate_code_key" ON "certificate"("code");

-- CreateIndex
CREATE UNIQUE INDEX "certificate_completion_id_key" ON "certificate"("completion_id");

-- CreateIndex
CREATE UNIQUE INDEX "certificate_superseded_by_id_key" ON "certificate"("superseded_by_id");

-- CreateIndex
CREATE INDEX "certificate_user_id_course_id_idx" ON "certificate"("user_id", "course_id");

-- CreateIndex
CREATE INDEX "certificate_course_id_issued_at_idx" ON "certificate"("course_id", "issued_at");

-- CreateIndex
CREATE INDEX "certificate_agency_id_idx" ON "certificate"("agency_id");

-- CreateIndex
CREATE INDEX "certificate_expires_at_idx" ON "certificate"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "issuer_key_kid_key" ON "issuer_key"("kid");

-- CreateIndex
CREATE INDEX "course_assignment_agency_id_due_at_idx" ON "course_assignment"("agency_id", "due_at");

-- CreateIndex
CREATE INDEX "course_assignment_course_id_idx" ON "course_assignment"("course_id");

-- CreateIndex
CREATE UNIQUE INDEX "class_join_code_key" ON "class"("join_code");

-- CreateIndex
CREATE INDEX "class_teacher_id_idx" ON "class"("teacher_id");

-- CreateIndex
CREATE INDEX "class_member_user_id_idx" ON "class_member"("user_id");

-- CreateIndex
CREATE INDEX "class_assignment_class_id_idx" ON "class_assignment"("class_id");

-- AddForeignKey
ALTER TABLE "agency" ADD CONSTRAINT "agency_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agency" ADD CONSTRAINT "agency_merged_into_id_fkey" FOREIGN KEY ("merged_into_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agency_history" ADD CONSTRAINT "agency_history_agency_id_fkey" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agency_history" ADD CONSTRAINT "agency_history_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_user" ADD CONSTRAINT "app_user_agency_id_fkey" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "role_grant" ADD CONSTRAINT "role_grant_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "role_grant" ADD CONSTRAINT "role_grant_granted_by_id_fkey" FOREIGN KEY ("granted_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "role_grant" ADD CONSTRAINT "role_grant_agency_id_fkey" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "password_reset_token" ADD CONSTRAINT "password_reset_token_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "password_reset_token" ADD CONSTRAINT "password_reset_token_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "staff_record" ADD CONSTRAINT "staff_record_agency_id_fkey" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "staff_record" ADD CONSTRAINT "staff_record_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lesson" ADD CONSTRAINT "lesson_course_id_fkey" FOREIGN KEY ("course_id") REFERENCES "course"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "enrolment" ADD CONSTRAINT "enrolment_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "enrolment" ADD CONSTRAINT "enrolment_course_id_fkey" FOREIGN KEY ("course_id") REFERENCES "course"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lesson_progress" ADD CONSTRAINT "lesson_progress_enrolment_id_fkey" FOREIGN KEY ("enrolment_id") REFERENCES "enrolment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lesson_progress" ADD CONSTRAINT "lesson_progress_lesson_id_fkey" FOREIGN KEY ("lesson_id") REFERENCES "lesson"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "quiz_attempt" ADD CONSTRAINT "quiz_attempt_enrolment_id_fkey" FOREIGN KEY ("enrolment_id") REFERENCES "enrolment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "quiz_attempt" ADD CONSTRAINT "quiz_attempt_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "quiz_attempt" ADD CONSTRAINT "quiz_attempt_course_id_fkey" FOREIGN KEY ("course_id") REFERENCES "course"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "quiz_answer" ADD CONSTRAINT "quiz_answer_attempt_id_fkey" FOREIGN KEY ("attempt_id") REFERENCES "quiz_attempt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "course_completion" ADD CONSTRAINT "course_completion_enrolment_id_fkey" FOREIGN KEY ("enrolment_id") REFERENCES "enrolment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "course_completion" ADD CONSTRAINT "course_completion_attempt_id_fkey" FOREIGN KEY ("attempt_id") REFERENCES "quiz_attempt"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certificate" ADD CONSTRAINT "certificate_completion_id_fkey" FOREIGN KEY ("completion_id") REFERENCES "course_completion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certificate" ADD CONSTRAINT "certificate_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certificate" ADD CONSTRAINT "certificate_course_id_fkey" FOREIGN KEY ("course_id") REFERENCES "course"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certificate" ADD CONSTRAINT "certificate_agency_id_fkey" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certificate" ADD CONSTRAINT "certificate_revoked_by_id_fkey" FOREIGN KEY ("revoked_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certificate" ADD CONSTRAINT "certificate_superseded_by_id_fkey" FOREIGN KEY ("superseded_by_id") REFERENCES "certificate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "course_assignment" ADD CONSTRAINT "course_assignment_course_id_fkey" FOREIGN KEY ("course_id") REFERENCES "course"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "course_assignment" ADD CONSTRAINT "course_assignment_agency_id_fkey" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "course_assignment" ADD CONSTRAINT "course_assignment_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "class" ADD CONSTRAINT "class_school_id_fkey" FOREIGN KEY ("school_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "class" ADD CONSTRAINT "class_teacher_id_fkey" FOREIGN KEY ("teacher_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "class_member" ADD CONSTRAINT "class_member_class_id_fkey" FOREIGN KEY ("class_id") REFERENCES "class"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "class_member" ADD CONSTRAINT "class_member_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "class_assignment" ADD CONSTRAINT "class_assignment_class_id_fkey" FOREIGN KEY ("class_id") REFERENCES "class"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "class_assignment" ADD CONSTRAINT "class_assignment_course_id_fkey" FOREIGN KEY ("course_id") REFERENCES "course"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "class_assignment" ADD CONSTRAINT "class_assignment_lesson_id_fkey" FOREIGN KEY ("lesson_id") REFERENCES "lesson"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- ─── Checks (written by hand: Prisma has no syntax for them) ───

ALTER TABLE "agency"
  ADD CONSTRAINT "agency_code_format" CHECK ("code" ~ '^[A-Z0-9][A-Z0-9-]*$'),
  ADD CONSTRAINT "agency_name_not_blank" CHECK (btrim("name") <> ''),
  ADD CONSTRAINT "agency_not_own_parent" CHECK ("parent_id" IS NULL OR "parent_id" <> "id"),
  ADD CONSTRAINT "agency_merged_has_target" CHECK (("status" = 'MERGED') = ("merged_into_id" IS NOT NULL)),
  ADD CONSTRAINT "agency_not_merged_into_self" CHECK ("merged_into_id" IS NULL OR "merged_into_id" <> "id"),
  ADD CONSTRAINT "agency_headcount_non_negative" CHECK ("headcount_manual" IS NULL OR "headcount_manual" >= 0);

ALTER TABLE "app_user"
  ADD CONSTRAINT "user_name_not_blank" CHECK (btrim("full_name") <> ''),
  ADD CONSTRAINT "user_has_sign_in_identifier" CHECK ("email" IS NOT NULL OR "phone" IS NOT NULL OR "kind" = 'STUDENT'),
  ADD CONSTRAINT "user_email_lower_case" CHECK ("email" IS NULL OR "email" = lower("email")),
  ADD CONSTRAINT "user_phone_format" CHECK ("phone" IS NULL OR "phone" ~ '^\+84[0-9]{9}$'),
  ADD CONSTRAINT "user_staff_have_agency" CHECK ("kind" IN ('CITIZEN', 'STUDENT') OR "agency_id" IS NOT NULL),
  ADD CONSTRAINT "user_locale_known" CHECK ("locale" IN ('vi', 'en'));

ALTER TABLE "role_grant"
  ADD CONSTRAINT "role_grant_manager_has_agency" CHECK ("role" <> 'AGENCY_MANAGER' OR "agency_id" IS NOT NULL),
  ADD CONSTRAINT "role_grant_admin_is_global" CHECK ("role" <> 'ADMIN' OR "agency_id" IS NULL);

ALTER TABLE "session"
  ADD CONSTRAINT "session_expires_after_creation" CHECK ("expires_at" > "created_at");

ALTER TABLE "password_reset_token"
  ADD CONSTRAINT "reset_token_expires_after_creation" CHECK ("expires_at" > "created_at");

ALTER TABLE "staff_record"
  ADD CONSTRAINT "staff_code_not_blank" CHECK (btrim("staff_code") <> ''),
  ADD CONSTRAINT "staff_name_not_blank" CHECK (btrim("full_name") <> '');

ALTER TABLE "course"
  ADD CONSTRAINT "course_pass_mark_range" CHECK ("pass_mark" BETWEEN 0 AND 100),
  ADD CONSTRAINT "course_validity_positive" CHECK ("validity_months" IS NULL OR "validity_months" > 0),
  ADD CONSTRAINT "course_hours_positive" CHECK ("estimated_hours" > 0);

ALTER TABLE "lesson"
  ADD CONSTRAINT "lesson_position_non_negative" CHECK ("position" >= 0),
  ADD CONSTRAINT "lesson_minutes_positive" CHECK ("minutes" > 0);

ALTER TABLE "enrolment"
  ADD CONSTRAINT "enrolment_completed_after_enrolled" CHECK ("completed_at" IS NULL OR "completed_at" >= "enrolled_at");

ALTER TABLE "quiz_attempt"
  ADD CONSTRAINT "attempt_number_positive" CHECK ("number" >= 1),
  ADD CONSTRAINT "attempt_submitted_has_time" CHECK (("status" = 'SUBMITTED') = ("submitted_at" IS NOT NULL)),
  ADD CONSTRAINT "attempt_submitted_is_graded" CHECK ("status" = 'OPEN' OR ("score_percent" IS NOT NULL AND "passed" IS NOT NULL)),
  ADD CONSTRAINT "attempt_score_range" CHECK ("score_percent" IS NULL OR "score_percent" BETWEEN 0 AND 100),
  ADD CONSTRAINT "attempt_deadline_after_start" CHECK ("deadline_at" IS NULL OR "deadline_at" > "started_at");

ALTER TABLE "certificate"
  ADD CONSTRAINT "certificate_expires_after_issue" CHECK ("expires_at" IS NULL OR "expires_at" > "issued_at"),
  ADD CONSTRAINT "certificate_revocation_has_reason" CHECK (("revoked_at" IS NULL) = ("revoked_reason" IS NULL)),
  ADD CONSTRAINT "certificate_not_superseded_by_self" CHECK ("superseded_by_id" IS NULL OR "superseded_by_id" <> "id"),
  ADD CONSTRAINT "certificate_code_length" CHECK (length("code") >= 22);

ALTER TABLE "class"
  ADD CONSTRAINT "class_name_not_blank" CHECK (btrim("name") <> ''),
  ADD CONSTRAINT "class_join_code_format" CHECK ("join_code" ~ '^[A-Z0-9]{6,10}$');
