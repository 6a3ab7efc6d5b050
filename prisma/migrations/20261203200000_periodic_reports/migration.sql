-- CreateEnum
CREATE TYPE "PeriodKind" AS ENUM ('QUARTER', 'HALF_YEAR', 'YEAR');

-- CreateEnum
CREATE TYPE "PeriodReportStatus" AS ENUM ('OPEN', 'SUBMITTED', 'APPROVED', 'RETURNED');

-- CreateEnum
CREATE TYPE "ReviewDecision" AS ENUM ('APPROVED', 'RETURNED');

-- CreateTable
CREATE TABLE "training_plan" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "year" INTEGER NOT NULL,
    "agency_id" UUID NOT NULL,
    "target_percent" INTEGER NOT NULL,
    "course_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "due_on" DATE NOT NULL,
    "set_by_id" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "training_plan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reporting_period" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" "PeriodKind" NOT NULL,
    "year" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "starts_on" DATE NOT NULL,
    "ends_on" DATE NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "agency_types" "AgencyType"[] DEFAULT ARRAY[]::"AgencyType"[],
    "subtree_root_id" UUID,
    "opened_by_id" UUID,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reporting_period_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "period_report" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "period_id" UUID NOT NULL,
    "agency_id" UUID NOT NULL,
    "status" "PeriodReportStatus" NOT NULL DEFAULT 'OPEN',
    "version" INTEGER NOT NULL DEFAULT 0,
    "narrative_draft" TEXT NOT NULL DEFAULT '',
    "first_submitted_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "period_report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "report_snapshot" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "report_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "figures" JSONB NOT NULL,
    "narrative" TEXT NOT NULL,
    "headcount" INTEGER NOT NULL,
    "key_count" INTEGER NOT NULL,
    "submitted_by_id" UUID NOT NULL,
    "submitted_by_name" TEXT NOT NULL,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "late" BOOLEAN NOT NULL,
    "verify_code" TEXT NOT NULL,

    CONSTRAINT "report_snapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "report_review" (
    "snapshot_id" UUID NOT NULL,
    "decision" "ReviewDecision" NOT NULL,
    "reason" TEXT,
    "reviewed_by_id" UUID NOT NULL,
    "reviewed_by_name" TEXT NOT NULL,
    "reviewed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "report_review_pkey" PRIMARY KEY ("snapshot_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "training_plan_agency_id_year_key" ON "training_plan"("agency_id", "year");

-- CreateIndex
CREATE INDEX "reporting_period_ends_on_idx" ON "reporting_period"("ends_on");

-- CreateIndex
CREATE UNIQUE INDEX "reporting_period_kind_year_number_key" ON "reporting_period"("kind", "year", "number");

-- CreateIndex
CREATE INDEX "period_report_agency_id_idx" ON "period_report"("agency_id");

-- CreateIndex
CREATE UNIQUE INDEX "period_report_period_id_agency_id_key" ON "period_report"("period_id", "agency_id");

-- CreateIndex
CREATE UNIQUE INDEX "report_snapshot_verify_code_key" ON "report_snapshot"("verify_code");

-- CreateIndex
CREATE UNIQUE INDEX "report_snapshot_report_id_version_key" ON "report_snapshot"("report_id", "version");

-- AddForeignKey
ALTER TABLE "training_plan" ADD CONSTRAINT "training_plan_agency_id_fkey" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "training_plan" ADD CONSTRAINT "training_plan_set_by_id_fkey" FOREIGN KEY ("set_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reporting_period" ADD CONSTRAINT "reporting_period_subtree_root_id_fkey" FOREIGN KEY ("subtree_root_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reporting_period" ADD CONSTRAINT "reporting_period_opened_by_id_fkey" FOREIGN KEY ("opened_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "period_report" ADD CONSTRAINT "period_report_period_id_fkey" FOREIGN KEY ("period_id") REFERENCES "reporting_period"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "period_report" ADD CONSTRAINT "period_report_agency_id_fkey" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "report_snapshot" ADD CONSTRAINT "report_snapshot_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "period_report"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "report_snapshot" ADD CONSTRAINT "report_snapshot_submitted_by_id_fkey" FOREIGN KEY ("submitted_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "report_review" ADD CONSTRAINT "report_review_snapshot_id_fkey" FOREIGN KEY ("snapshot_id") REFERENCES "report_snapshot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "report_review" ADD CONSTRAINT "report_review_reviewed_by_id_fkey" FOREIGN KEY ("reviewed_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Rules Prisma cannot express (prisma/README.md).
ALTER TABLE "training_plan" ADD CONSTRAINT "training_plan_target_range" CHECK ("target_percent" BETWEEN 1 AND 100);
ALTER TABLE "training_plan" ADD CONSTRAINT "training_plan_year_range" CHECK ("year" BETWEEN 2000 AND 2100);
ALTER TABLE "reporting_period" ADD CONSTRAINT "reporting_period_year_range" CHECK ("year" BETWEEN 2000 AND 2100);
ALTER TABLE "reporting_period" ADD CONSTRAINT "reporting_period_number_range" CHECK (
  ("kind" = 'QUARTER' AND "number" BETWEEN 1 AND 4) OR ("kind" = 'HALF_YEAR' AND "number" BETWEEN 1 AND 2) OR ("kind" = 'YEAR' AND "number" = 1));
ALTER TABLE "reporting_period" ADD CONSTRAINT "reporting_period_dates" CHECK ("ends_on" >= "starts_on");
ALTER TABLE "period_report" ADD CONSTRAINT "period_report_version_range" CHECK ("version" >= 0);
ALTER TABLE "period_report" ADD CONSTRAINT "period_report_status_version" CHECK (("status" = 'OPEN') = ("version" = 0));
ALTER TABLE "report_snapshot" ADD CONSTRAINT "report_snapshot_counts" CHECK ("version" >= 1 AND "headcount" >= 0 AND "key_count" BETWEEN 0 AND "headcount");
ALTER TABLE "report_review" ADD CONSTRAINT "report_review_return_reason" CHECK ("decision" = 'APPROVED' OR length(btrim(coalesce("reason", ''))) >= 5);

-- A submitted version is frozen: its figures, narrative, who and when never change, and it is never
-- removed — whoever asks (the app, an admin's SQL session). The decision on it is frozen the same
-- way. Only a superuser who drops the trigger could change one (docs/decisions/020).
CREATE FUNCTION report_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'report_frozen: % on % is refused: a submitted report never changes', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'P0001', HINT = 'Return the report so that the agency submits a new version.';
END
$$;
CREATE TRIGGER report_snapshot_frozen BEFORE UPDATE OR DELETE ON "report_snapshot" FOR EACH ROW EXECUTE FUNCTION report_frozen();
CREATE TRIGGER report_snapshot_no_truncate BEFORE TRUNCATE ON "report_snapshot" FOR EACH STATEMENT EXECUTE FUNCTION report_frozen();
CREATE TRIGGER report_review_frozen BEFORE UPDATE OR DELETE ON "report_review" FOR EACH ROW EXECUTE FUNCTION report_frozen();
CREATE TRIGGER report_review_no_truncate BEFORE TRUNCATE ON "report_review" FOR EACH STATEMENT EXECUTE FUNCTION report_frozen();
