-- ── Large refreshes back in the writing transaction, set-based (docs/decisions/016, amendment 2026-12-08) ──
-- Since migration 20261207200000 a refresh of more than report_clock.refresh_inline_max people (an
-- assignment on a province, a move of a large subtree under an assignment) was queued in
-- report_pending for the job report.refresh, and every report view above queued people recomputed
-- them at read time: exact, but a province view took 4–13 s until the job had drained the queue
-- (5–30 s), and the counters were not changed in the writer's transaction.
--
-- Those two paths (assignments: insert, update, delete, a course retired or restored; agencies: a
-- move or a status change) can change one flag only: "overdue" of the assignments' courses (and,
-- with it, whether a (person, course) row exists, and the person's "any course" overdue). Their
-- refresh is now one set-based statement that recomputes exactly that from the stored rows and
-- the assignments, and writes only the rows that change: report_refresh_overdue(agencies,
-- courses). It runs in the writer's transaction whatever the size (a province root on 105,000
-- staff: ≈ 0.3 s of server CPU when the assignment is not yet due, ≈ 1.9 s when it is past due —
-- bench/RESULTS.md), so nothing is queued any more: the counters are exact at commit and the report
-- reads no queue.

-- Whatever an earlier version queued is refreshed now (normally nothing: the job drains in seconds).
SELECT report_drain(2147483647);

-- The people of some agencies (the agencies themselves, not their subtrees), for some courses:
-- their "overdue" recomputed from the assignments (the agency's or an ancestor's in the active
-- tree, past due, job title matching, course not retired — as report_course_flags defines it),
-- their other flags kept from their stored rows (the flags of a course's row other than "overdue"
-- do not depend on assignments or on the tree). A row of (person, course) exists when the person
-- is enrolled, holds a current certificate (valid or expired) or has a past-due assignment; so a
-- row is added when an assignment makes a person with none overdue, and removed when the last
-- reason goes. Only changed rows are written, and their counters moved by the difference; the
-- "any course" row changes only in "overdue" (the OR of the person's per-course rows).
-- Custom plans (the planner sees how many agencies and courses), hashes in memory, no JIT, and
-- random_page_cost 1.1 as in report_rollup: a province of the national data set (60,000 people)
-- probes its people's stored rows by primary key instead of reading all 22.8 M of them.
CREATE FUNCTION report_refresh_overdue(p_agencies uuid[], p_courses uuid[]) RETURNS void LANGUAGE plpgsql
SET plan_cache_mode = force_custom_plan SET work_mem = '64MB' SET jit = off SET random_page_cost = 1.1 AS $$
DECLARE
  v_at timestamptz;
BEGIN
  IF p_agencies IS NULL OR cardinality(p_agencies) = 0 OR p_courses IS NULL OR cardinality(p_courses) = 0 THEN RETURN; END IF;
  PERFORM pg_advisory_xact_lock_shared(716016);
  SELECT greatest(clock_timestamp(), max(r.as_of)) INTO v_at FROM report_clock r;
  WITH people AS (
    SELECT s.id AS staff_id, s.agency_id, s.job_title FROM staff_record s WHERE s.agency_id = ANY(p_agencies)
  ),
  -- Per (agency, course): past due for everybody, or for these job titles. A few rows per agency.
  due AS (
    SELECT cl.descendant_id AS agency_id, ca.course_id, bool_or(cardinality(ca.job_titles) = 0) AS everyone,
      array_agg(DISTINCT t.title) FILTER (WHERE t.title IS NOT NULL) AS titles
    FROM course_assignment ca
    JOIN course co ON co.id = ca.course_id AND co.retired_at IS NULL
    JOIN agency_closure cl ON cl.ancestor_id = ca.agency_id AND cl.descendant_id = ANY(p_agencies)
    LEFT JOIN LATERAL unnest(ca.job_titles) t(title) ON true
    WHERE ca.course_id = ANY(p_courses) AND ca.due_at < v_at
    GROUP BY cl.descendant_id, ca.course_id
  ),
  base AS (
    SELECT pe.staff_id, c.course_id, pe.agency_id AS new_agency, o.agency_id AS old_agency, o.staff_id IS NOT NULL AS had,
      (o.enrolled OR o.valid OR o.expired) IS TRUE AS kept,
      COALESCE(o.enrolled, false) AS enrolled, COALESCE(o.completed, false) AS completed, COALESCE(o.valid, false) AS valid,
      COALESCE(o.expiring, false) AS expiring, COALESCE(o.expired, false) AS expired, COALESCE(o.overdue, false) AS old_overdue,
      COALESCE(d.everyone OR pe.job_title = ANY(d.titles), false) AS due
    FROM people pe
    CROSS JOIN unnest(p_courses) c(course_id)
    LEFT JOIN report_person o ON o.staff_id = pe.staff_id AND o.course_id = c.course_id AND o.course_id = ANY(p_courses)
    LEFT JOIN due d ON d.agency_id = pe.agency_id AND d.course_id = c.course_id
  ),
  cmp AS (
    SELECT b.*, b.kept OR b.due AS has, b.due AND NOT b.completed AS new_overdue,
      b.had <> (b.kept OR b.due) OR ((b.kept OR b.due) AND (b.old_overdue <> (b.due AND NOT b.completed) OR b.old_agency IS DISTINCT FROM b.new_agency)) AS chg
    FROM base b
  ),
  changed AS (SELECT * FROM cmp WHERE chg),
  put AS (
    INSERT INTO report_person AS rp (staff_id, course_id, agency_id, enrolled, completed, valid, expiring, expired, overdue)
    SELECT staff_id, course_id, new_agency, enrolled, completed, valid, expiring, expired, new_overdue FROM changed WHERE has
    ORDER BY staff_id, course_id
    ON CONFLICT (staff_id, course_id) DO UPDATE SET agency_id = excluded.agency_id, overdue = excluded.overdue
  ),
  gone AS (
    DELETE FROM report_person p USING changed c WHERE c.had AND NOT c.has AND p.staff_id = c.staff_id AND p.course_id = c.course_id
  ),
  -- "Any course" of the people with a changed row: overdue if one of these courses is now, else if
  -- one of their other stored course rows is (read only then, by primary key).
  anyc AS (
    SELECT x.staff_id, a.agency_id, a.overdue AS old_overdue,
      CASE WHEN x.now_overdue THEN true
        ELSE EXISTS (SELECT 1 FROM report_person r WHERE r.staff_id = x.staff_id AND r.course_id <> ALL(p_courses)
          AND r.course_id <> '00000000-0000-0000-0000-000000000000'::uuid AND r.overdue) END AS new_overdue
    FROM (SELECT c.staff_id, bool_or(c.new_overdue) AS now_overdue FROM cmp c GROUP BY c.staff_id HAVING bool_or(c.chg)) x
    JOIN report_person a ON a.staff_id = x.staff_id AND a.course_id = '00000000-0000-0000-0000-000000000000'::uuid
  ),
  anyput AS (
    UPDATE report_person p SET overdue = n.new_overdue FROM anyc n
    WHERE n.old_overdue <> n.new_overdue AND p.staff_id = n.staff_id AND p.course_id = '00000000-0000-0000-0000-000000000000'::uuid
  ),
  diff AS (
    SELECT new_agency AS agency_id, course_id, 1 AS staff, enrolled::int AS enrolled, completed::int AS completed, valid::int AS valid,
      expiring::int AS expiring, expired::int AS expired, new_overdue::int AS overdue
    FROM changed WHERE has
    UNION ALL
    SELECT old_agency, course_id, -1, -enrolled::int, -completed::int, -valid::int, -expiring::int, -expired::int, -old_overdue::int
    FROM changed WHERE had
    UNION ALL
    SELECT agency_id, '00000000-0000-0000-0000-000000000000'::uuid, 0, 0, 0, 0, 0, 0, new_overdue::int - old_overdue::int
    FROM anyc WHERE old_overdue <> new_overdue
  )
  INSERT INTO report_counter AS c (agency_id, course_id, staff, enrolled, completed, valid, expiring, expired, overdue)
  SELECT agency_id, course_id, sum(staff), sum(enrolled), sum(completed), sum(valid), sum(expiring), sum(expired), sum(overdue)
  FROM diff GROUP BY agency_id, course_id
  HAVING (sum(staff), sum(enrolled), sum(completed), sum(valid), sum(expiring), sum(expired), sum(overdue)) <> (0, 0, 0, 0, 0, 0, 0)
  ORDER BY agency_id, course_id
  ON CONFLICT (agency_id, course_id) DO UPDATE SET staff = c.staff + excluded.staff, enrolled = c.enrolled + excluded.enrolled,
    completed = c.completed + excluded.completed, valid = c.valid + excluded.valid, expiring = c.expiring + excluded.expiring,
    expired = c.expired + excluded.expired, overdue = c.overdue + excluded.overdue;
END $$;

-- Assignments (and a course retired or restored): the people of the assignments' agencies and
-- their subtrees, for the assignments' courses, in the writer's transaction.
CREATE OR REPLACE FUNCTION report_assignments_refresh(p_agencies uuid[], p_courses uuid[], p_titles text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_refresh_overdue(
    ARRAY(SELECT DISTINCT cl.descendant_id FROM unnest(p_agencies) x(agency_id) JOIN agency_closure cl ON cl.ancestor_id = x.agency_id),
    ARRAY(SELECT DISTINCT c FROM unnest(p_courses) c));
END $$;

-- Agencies: the closure follows parents and statuses; the people of the agencies that gained or
-- lost an ancestor holding an assignment, for those assignments' courses, in the writer's transaction.
CREATE OR REPLACE FUNCTION report_agency_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_agencies uuid[];
  v_courses uuid[];
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NOT EXISTS (
      SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.parent_id, n.status) IS DISTINCT FROM (o.parent_id, o.status)) THEN
      RETURN NULL;
    END IF;
  END IF;
  SELECT array_agg(DISTINCT ch.descendant_id), array_agg(DISTINCT ca.course_id)
  INTO v_agencies, v_courses
  FROM report_closure_changes() ch JOIN course_assignment ca ON ca.agency_id = ch.ancestor_id;
  PERFORM report_refresh_overdue(v_agencies, v_courses);
  RETURN NULL;
END $$;

-- The expiry job: as before (migration 20261202130000), but the people an assignment concerns
-- when it falls due are refreshed like an assignment written now (report_refresh_overdue: their
-- "overdue" of its course, set-based) instead of recomputing every course of each of them: an
-- assignment on the province root falling due took the job 75 s on the province data set (load
-- ≈ 12), holding the exclusive lock that every writer of counters waits for. The certificates
-- expiring or entering the 60-day window: their people, every course, as before.
CREATE OR REPLACE FUNCTION report_advance(p_to timestamptz) RETURNS integer LANGUAGE plpgsql
SET plan_cache_mode = force_custom_plan AS $$
DECLARE
  v_from timestamptz;
  v_ids uuid[];
  v_agencies uuid[];
  v_courses uuid[];
BEGIN
  IF NOT pg_try_advisory_xact_lock(716016) THEN RETURN NULL; END IF;
  SELECT as_of INTO v_from FROM report_clock WHERE id = 1;
  IF p_to <= v_from THEN RETURN 0; END IF;
  v_ids := ARRAY(
    SELECT s.id FROM staff_record s
    WHERE s.user_id = ANY(ARRAY(
      SELECT c.user_id FROM certificate c
      WHERE c.expires_at >= v_from AND c.expires_at <= p_to AND c.revoked_at IS NULL AND c.superseded_by_id IS NULL
      UNION
      SELECT c.user_id FROM certificate c
      WHERE c.expires_at >= v_from + interval '1440 hours' AND c.expires_at <= p_to + interval '1440 hours'
        AND c.revoked_at IS NULL AND c.superseded_by_id IS NULL)));
  SELECT array_agg(DISTINCT cl.descendant_id), array_agg(DISTINCT ca.course_id) INTO v_agencies, v_courses
  FROM course_assignment ca JOIN agency_closure cl ON cl.ancestor_id = ca.agency_id
  WHERE ca.due_at >= v_from AND ca.due_at <= p_to;
  UPDATE report_clock SET as_of = p_to WHERE id = 1;
  PERFORM report_refresh(v_ids);
  PERFORM report_refresh_overdue(v_agencies, v_courses);
  RETURN cardinality(ARRAY(SELECT unnest(v_ids) UNION SELECT s.id FROM staff_record s WHERE s.agency_id = ANY(v_agencies)));
END $$;

DROP FUNCTION report_refresh_or_queue(uuid[], uuid[]);

-- AlterTable
ALTER TABLE "report_clock" DROP COLUMN "refresh_inline_max";
