-- AlterTable
ALTER TABLE "report_clock" ADD COLUMN     "refresh_inline_max" INTEGER NOT NULL DEFAULT 5000;

-- CreateTable
CREATE TABLE "report_pending" (
    "staff_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "queued_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "report_pending_pkey" PRIMARY KEY ("staff_id","course_id")
);

-- CreateIndex
CREATE INDEX "report_pending_course_id_idx" ON "report_pending"("course_id");

-- ── Large refreshes out of the writer's transaction (docs/decisions/016, amendment 2026-12-07) ──
-- An assignment on a province root refreshed 60,000–105,000 people in the admin's transaction
-- (20.9 s); a province moved under an assignment 17.1 s. Above report_clock.refresh_inline_max
-- people, the assignment and agency triggers now queue the (person, course) pairs in
-- report_pending and enqueue the job `report.refresh` (ADR 022's job table) in the same
-- transaction; the job refreshes them in chunks (report_drain). Until a pair is drained, the
-- report statement treats its person like one whose flags changed with time since the expiry job
-- ran: their stored rows are replaced, at read time, by their flags computed now (exact, slower
-- for that one view while the job runs). report_refresh is idempotent, so a person refreshed
-- meanwhile by another write (an enrolment, a move of their record) is simply refreshed again.

-- Refresh now, or queue when too many people. The shared advisory lock as report_refresh takes it:
-- the rebuild (exclusive) never interleaves with a queueing either.
CREATE FUNCTION report_refresh_or_queue(p_ids uuid[], p_courses uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_max integer;
BEGIN
  IF p_ids IS NULL OR cardinality(p_ids) = 0 THEN RETURN; END IF;
  SELECT refresh_inline_max INTO v_max FROM report_clock WHERE id = 1;
  IF p_courses IS NULL OR cardinality(p_ids) <= COALESCE(v_max, 5000) THEN
    PERFORM report_refresh(p_ids, p_courses);
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock_shared(716016);
  INSERT INTO report_pending (staff_id, course_id)
  SELECT i, c FROM unnest(p_ids) i, unnest(p_courses) c ORDER BY 1, 2
  ON CONFLICT DO NOTHING;
  -- One job per writing transaction (any job drains every queued pair); total: for the progress.
  INSERT INTO job (kind, key, payload, max_attempts)
  VALUES ('report.refresh', 'report.refresh:' || txid_current(), jsonb_build_object('people', cardinality(p_ids), 'courses', cardinality(p_courses)), 10)
  ON CONFLICT (key) DO UPDATE SET payload = jsonb_build_object(
    'people', (job.payload->>'people')::int + cardinality(p_ids), 'courses', (job.payload->>'courses')::int + cardinality(p_courses));
END $$;

-- Refreshes and removes up to p_limit queued pairs (the lowest people first; pairs another
-- transaction is draining are skipped). Returns how many were drained: 0 when none is left.
CREATE FUNCTION report_drain(p_limit integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  v_ids uuid[];
  v_courses uuid[];
  v_n integer;
BEGIN
  WITH taken AS (
    SELECT p.staff_id, p.course_id FROM report_pending p ORDER BY p.staff_id, p.course_id LIMIT p_limit FOR UPDATE SKIP LOCKED
  ),
  gone AS (
    DELETE FROM report_pending p USING taken t WHERE p.staff_id = t.staff_id AND p.course_id = t.course_id RETURNING p.staff_id, p.course_id
  )
  SELECT array_agg(DISTINCT g.staff_id), array_agg(DISTINCT g.course_id), count(*) INTO v_ids, v_courses, v_n FROM gone g;
  IF v_n > 0 THEN
    -- (each person for every course of the chunk: a course they were not queued for is refreshed
    -- to what it already is)
    PERFORM report_refresh(v_ids, v_courses);
  END IF;
  RETURN v_n;
END $$;

-- The people a set of assignments (agency, course, job titles) concerns, and their courses: as
-- before (migration 20261203100000), refreshed now or queued.
CREATE OR REPLACE FUNCTION report_assignments_refresh(p_agencies uuid[], p_courses uuid[], p_titles text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_refresh_or_queue(
    ARRAY(
      SELECT DISTINCT s.id
      FROM unnest(p_agencies, p_titles) AS x(agency_id, titles)
      JOIN agency_closure cl ON cl.ancestor_id = x.agency_id
      JOIN staff_record s ON s.agency_id = cl.descendant_id
      WHERE x.titles = '' OR s.job_title = ANY(string_to_array(x.titles, chr(31)))),
    ARRAY(SELECT DISTINCT c FROM unnest(p_courses) c));
END $$;

-- Agencies: as before (migration 20261203100000), refreshed now or queued.
CREATE OR REPLACE FUNCTION report_agency_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_agencies uuid[];
  v_courses uuid[];
  v_titles text[];
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NOT EXISTS (
      SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.parent_id, n.status) IS DISTINCT FROM (o.parent_id, o.status)) THEN
      RETURN NULL;
    END IF;
  END IF;
  SELECT array_agg(ch.descendant_id), array_agg(ca.course_id), array_agg(array_to_string(ca.job_titles, chr(31)))
  INTO v_agencies, v_courses, v_titles
  FROM report_closure_changes() ch JOIN course_assignment ca ON ca.agency_id = ch.ancestor_id;
  IF cardinality(v_agencies) > 0 THEN
    PERFORM report_refresh_or_queue(
      ARRAY(
        SELECT DISTINCT s.id
        FROM unnest(v_agencies, v_titles) AS x(agency_id, titles)
        JOIN staff_record s ON s.agency_id = x.agency_id
        WHERE x.titles = '' OR s.job_title = ANY(string_to_array(x.titles, chr(31)))),
      ARRAY(SELECT DISTINCT c FROM unnest(v_courses) c));
  END IF;
  RETURN NULL;
END $$;
