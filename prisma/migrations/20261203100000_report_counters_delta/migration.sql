-- ── The report counters, cheaper writes (docs/decisions/016, "Write cost") ──────────────────────
-- Same tables, same stored rows: only the functions and triggers change, so nothing is recomputed.
--
-- 1. A write of course C (enrolment, completion, certificate) recomputes only the rows of C from
--    the base tables; the person's "any course" row is the OR of their per-course rows (the stored
--    ones of the other courses and the fresh ones of C). Before, every course of the person was
--    recomputed from the base tables on every write.
-- 2. A refresh of a few people runs with generic plans (plan_cache_mode = force_generic_plan): the
--    statements are planned once per session. Before, PL/pgSQL kept planning them afresh on every
--    write (≈ 4 ms of the ≈ 5 ms per write: a custom plan looked cheaper than the generic one).
--    A refresh of many people (an assignment on a province, a rebuild) keeps custom plans.
-- 3. An assignment change refreshes only its course(s), for the people below its agency whose job
--    title it concerns; an agency move or status change refreshes only the people under agencies
--    whose ancestors changed AND where an added or removed ancestor holds an assignment, for those
--    assignments' courses only (a move under no assignment refreshes nobody).

-- The per-course report flags of some staff records at a time (all courses when p_courses is null):
-- enrolled, completed, valid (a current certificate — not revoked, not superseded — not expired),
-- expiring (within 60 days, counted as 1440 hours like the live statement), expired (a current one
-- lapsed and none valid), overdue (a past-due assignment of the agency or an ancestor, job title
-- matching, course not retired, not completed). A row exists per (person, course) with an
-- enrolment, a current certificate or a past-due assignment. The one definition of the flags; a
-- SQL function, so it is inlined into the statements that call it (planned with them).
CREATE FUNCTION report_course_flags(p_ids uuid[], p_courses uuid[], p_at timestamptz)
RETURNS TABLE (staff_id uuid, course_id uuid, agency_id uuid, enrolled boolean, completed boolean, valid boolean, expiring boolean, expired boolean, overdue boolean)
LANGUAGE sql STABLE AS $$
  WITH people AS (
    SELECT s.id AS staff_id, s.agency_id, s.user_id, s.job_title FROM staff_record s WHERE s.id = ANY(p_ids)
  ),
  en AS (
    SELECT pe.staff_id, e.course_id, (e.completed_at IS NOT NULL) AS completed
    FROM people pe JOIN enrolment e ON e.user_id = pe.user_id
    WHERE p_courses IS NULL OR e.course_id = ANY(p_courses)
  ),
  ce AS (
    SELECT pe.staff_id, c.course_id,
      bool_or(c.expires_at IS NULL OR c.expires_at >= p_at) AS valid,
      bool_or(c.expires_at >= p_at AND c.expires_at < p_at + interval '1440 hours') AS expiring,
      bool_or(c.expires_at < p_at) AS lapsed
    FROM people pe JOIN certificate c ON c.user_id = pe.user_id
    WHERE c.revoked_at IS NULL AND c.superseded_by_id IS NULL AND (p_courses IS NULL OR c.course_id = ANY(p_courses))
    GROUP BY pe.staff_id, c.course_id
  ),
  due AS (
    SELECT DISTINCT pe.staff_id, ca.course_id
    FROM people pe
    JOIN agency_closure cl ON cl.descendant_id = pe.agency_id
    JOIN course_assignment ca ON ca.agency_id = cl.ancestor_id
    JOIN course co ON co.id = ca.course_id AND co.retired_at IS NULL
    WHERE ca.due_at < p_at AND (cardinality(ca.job_titles) = 0 OR pe.job_title = ANY(ca.job_titles))
      AND (p_courses IS NULL OR ca.course_id = ANY(p_courses))
  ),
  keys AS (
    SELECT en.staff_id, en.course_id FROM en UNION SELECT ce.staff_id, ce.course_id FROM ce UNION SELECT due.staff_id, due.course_id FROM due
  )
  SELECT k.staff_id, k.course_id, pe.agency_id,
    (en.staff_id IS NOT NULL),
    COALESCE(en.completed, false),
    COALESCE(ce.valid, false),
    COALESCE(ce.expiring, false),
    COALESCE(ce.lapsed, false) AND NOT COALESCE(ce.valid, false),
    (due.staff_id IS NOT NULL AND NOT COALESCE(en.completed, false))
  FROM keys k
  JOIN people pe ON pe.staff_id = k.staff_id
  LEFT JOIN en ON en.staff_id = k.staff_id AND en.course_id = k.course_id
  LEFT JOIN ce ON ce.staff_id = k.staff_id AND ce.course_id = k.course_id
  LEFT JOIN due ON due.staff_id = k.staff_id AND due.course_id = k.course_id
$$;

-- Every flag row of some staff records: the per-course rows, and one "any course" row (the nil
-- uuid) per record, the OR of its per-course rows — "expired" = some course expired and none valid,
-- which equals "a current certificate lapsed and none valid" since a course's expired excludes its
-- valid. Used by the rebuild and the report's read-time correction.
CREATE OR REPLACE FUNCTION report_person_flags(p_ids uuid[], p_at timestamptz)
RETURNS TABLE (staff_id uuid, course_id uuid, agency_id uuid, enrolled boolean, completed boolean, valid boolean, expiring boolean, expired boolean, overdue boolean)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
  -- plpgsql, not sql: p_ids is a parameter of a custom plan, so the rebuild's two million ids are
  -- a constant the planner sees (a hash join, not two million index probes).
  RETURN QUERY
  WITH pc AS (SELECT * FROM report_course_flags(p_ids, NULL, p_at))
  SELECT * FROM pc
  UNION ALL
  SELECT s.id, '00000000-0000-0000-0000-000000000000'::uuid, s.agency_id,
    COALESCE(bool_or(pc.enrolled), false), COALESCE(bool_or(pc.completed), false),
    COALESCE(bool_or(pc.valid), false), COALESCE(bool_or(pc.expiring), false),
    COALESCE(bool_or(pc.expired), false) AND NOT COALESCE(bool_or(pc.valid), false),
    COALESCE(bool_or(pc.overdue), false)
  FROM staff_record s LEFT JOIN pc ON pc.staff_id = s.id
  WHERE s.id = ANY(p_ids)
  GROUP BY s.id, s.agency_id;
END $$;

-- The refresh itself: takes the people's stored rows of the courses concerned (and "any course")
-- out of the counters, computes them afresh and adds them back. p_courses: only these courses'
-- rows can have changed (the other stored rows are kept and feed the "any course" row); null: all.
CREATE FUNCTION report_refresh_apply(p_ids uuid[], p_courses uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_at timestamptz;
  v_keys uuid[] := p_courses || '00000000-0000-0000-0000-000000000000'::uuid;
BEGIN
  SELECT greatest(clock_timestamp(), max(r.as_of)) INTO v_at FROM report_clock r;
  -- One statement: the stored rows (as before it), the fresh rows, the upsert of the changed and
  -- new ones, the delete of the gone ones (disjoint keys), and the counters moved by the difference.
  WITH people AS (
    SELECT s.id AS staff_id, s.agency_id FROM staff_record s WHERE s.id = ANY(p_ids)
  ),
  old AS (
    SELECT p.* FROM report_person p WHERE p.staff_id = ANY(p_ids) AND (p_courses IS NULL OR p.course_id = ANY(v_keys))
  ),
  kept AS (
    SELECT p.staff_id, p.enrolled, p.completed, p.valid, p.expiring, p.expired, p.overdue FROM report_person p
    WHERE p_courses IS NOT NULL AND p.staff_id = ANY(p_ids) AND p.course_id <> ALL(v_keys)
  ),
  per_course AS (
    SELECT f.* FROM report_course_flags(p_ids, p_courses, v_at) f
  ),
  fresh AS (
    SELECT * FROM per_course
    UNION ALL
    SELECT pe.staff_id, '00000000-0000-0000-0000-000000000000'::uuid, pe.agency_id,
      COALESCE(bool_or(x.enrolled), false), COALESCE(bool_or(x.completed), false),
      COALESCE(bool_or(x.valid), false), COALESCE(bool_or(x.expiring), false),
      COALESCE(bool_or(x.expired), false) AND NOT COALESCE(bool_or(x.valid), false),
      COALESCE(bool_or(x.overdue), false)
    FROM people pe
    LEFT JOIN (
      SELECT pc.staff_id, pc.enrolled, pc.completed, pc.valid, pc.expiring, pc.expired, pc.overdue FROM per_course pc
      UNION ALL SELECT * FROM kept
    ) x ON x.staff_id = pe.staff_id
    GROUP BY pe.staff_id, pe.agency_id
  ),
  put AS (
    INSERT INTO report_person AS rp SELECT * FROM fresh
    ON CONFLICT (staff_id, course_id) DO UPDATE SET agency_id = excluded.agency_id, enrolled = excluded.enrolled,
      completed = excluded.completed, valid = excluded.valid, expiring = excluded.expiring, expired = excluded.expired,
      overdue = excluded.overdue
    WHERE (rp.agency_id, rp.enrolled, rp.completed, rp.valid, rp.expiring, rp.expired, rp.overdue)
      IS DISTINCT FROM (excluded.agency_id, excluded.enrolled, excluded.completed, excluded.valid, excluded.expiring, excluded.expired, excluded.overdue)
  ),
  gone AS (
    DELETE FROM report_person p USING old o
    WHERE p.staff_id = o.staff_id AND p.course_id = o.course_id
      AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.staff_id = o.staff_id AND f.course_id = o.course_id)
  ),
  diff AS (
    SELECT 1 AS n, f.* FROM fresh f UNION ALL SELECT -1, o.* FROM old o
  ),
  delta AS (
    SELECT d.agency_id, d.course_id, sum(d.n) AS staff, sum(d.n) FILTER (WHERE d.enrolled) AS enrolled,
      sum(d.n) FILTER (WHERE d.completed) AS completed, sum(d.n) FILTER (WHERE d.valid) AS valid,
      sum(d.n) FILTER (WHERE d.expiring) AS expiring, sum(d.n) FILTER (WHERE d.expired) AS expired,
      sum(d.n) FILTER (WHERE d.overdue) AS overdue
    FROM diff d GROUP BY d.agency_id, d.course_id
  )
  INSERT INTO report_counter AS c (agency_id, course_id, staff, enrolled, completed, valid, expiring, expired, overdue)
  SELECT agency_id, course_id, staff, COALESCE(enrolled, 0), COALESCE(completed, 0), COALESCE(valid, 0), COALESCE(expiring, 0),
    COALESCE(expired, 0), COALESCE(overdue, 0)
  FROM delta
  -- (a figure no row has is null: an unchanged person writes no counter row)
  WHERE (staff, COALESCE(enrolled, 0), COALESCE(completed, 0), COALESCE(valid, 0), COALESCE(expiring, 0), COALESCE(expired, 0),
    COALESCE(overdue, 0)) <> (0, 0, 0, 0, 0, 0, 0)
  ORDER BY agency_id, course_id
  ON CONFLICT (agency_id, course_id) DO UPDATE SET staff = c.staff + excluded.staff, enrolled = c.enrolled + excluded.enrolled,
    completed = c.completed + excluded.completed, valid = c.valid + excluded.valid, expiring = c.expiring + excluded.expiring,
    expired = c.expired + excluded.expired, overdue = c.overdue + excluded.overdue;
END $$;

-- The common write: one person, one course (an enrolment, a completion, a certificate). The same
-- result as report_refresh_apply, in small statements on primary keys: the course's row afresh,
-- and only if it changed, the "any course" row (the OR of the stored per-course rows) and the two
-- counter rows moved by the difference.
CREATE FUNCTION report_refresh_one(p_id uuid, p_course uuid) RETURNS void LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_at timestamptz;
  v_agency uuid;
  f report_person;
  o report_person;
  a report_person;
  b report_person;
BEGIN
  SELECT s.agency_id INTO v_agency FROM staff_record s WHERE s.id = p_id;
  IF NOT FOUND THEN
    -- The staff record is gone: the general refresh removes its rows.
    PERFORM report_refresh_apply(ARRAY[p_id], ARRAY[p_course]);
    RETURN;
  END IF;
  SELECT greatest(clock_timestamp(), max(r.as_of)) INTO v_at FROM report_clock r;
  SELECT * INTO f FROM report_course_flags(ARRAY[p_id], ARRAY[p_course], v_at);
  SELECT * INTO o FROM report_person p WHERE p.staff_id = p_id AND p.course_id = p_course;
  IF f IS NOT DISTINCT FROM o THEN RETURN; END IF;
  IF f.staff_id IS NULL THEN
    DELETE FROM report_person p WHERE p.staff_id = p_id AND p.course_id = p_course;
  ELSE
    INSERT INTO report_person AS rp SELECT f.*
    ON CONFLICT (staff_id, course_id) DO UPDATE SET agency_id = excluded.agency_id, enrolled = excluded.enrolled,
      completed = excluded.completed, valid = excluded.valid, expiring = excluded.expiring, expired = excluded.expired,
      overdue = excluded.overdue;
  END IF;
  SELECT * INTO a FROM report_person p WHERE p.staff_id = p_id AND p.course_id = '00000000-0000-0000-0000-000000000000'::uuid;
  SELECT p_id, '00000000-0000-0000-0000-000000000000'::uuid, v_agency,
    COALESCE(bool_or(p.enrolled), false), COALESCE(bool_or(p.completed), false),
    COALESCE(bool_or(p.valid), false), COALESCE(bool_or(p.expiring), false),
    COALESCE(bool_or(p.expired), false) AND NOT COALESCE(bool_or(p.valid), false),
    COALESCE(bool_or(p.overdue), false)
  INTO b
  FROM report_person p WHERE p.staff_id = p_id AND p.course_id <> '00000000-0000-0000-0000-000000000000'::uuid;
  IF a IS DISTINCT FROM b THEN
    INSERT INTO report_person AS rp SELECT b.*
    ON CONFLICT (staff_id, course_id) DO UPDATE SET agency_id = excluded.agency_id, enrolled = excluded.enrolled,
      completed = excluded.completed, valid = excluded.valid, expiring = excluded.expiring, expired = excluded.expired,
      overdue = excluded.overdue;
  END IF;
  INSERT INTO report_counter AS c (agency_id, course_id, staff, enrolled, completed, valid, expiring, expired, overdue)
  SELECT d.agency_id, d.course_id, sum(d.n), sum(d.n * d.enrolled::int), sum(d.n * d.completed::int), sum(d.n * d.valid::int),
    sum(d.n * d.expiring::int), sum(d.n * d.expired::int), sum(d.n * d.overdue::int)
  FROM (VALUES (1, f.agency_id, f.course_id, f.enrolled, f.completed, f.valid, f.expiring, f.expired, f.overdue),
               (-1, o.agency_id, o.course_id, o.enrolled, o.completed, o.valid, o.expiring, o.expired, o.overdue),
               (1, b.agency_id, b.course_id, b.enrolled, b.completed, b.valid, b.expiring, b.expired, b.overdue),
               (-1, a.agency_id, a.course_id, a.enrolled, a.completed, a.valid, a.expiring, a.expired, a.overdue))
    AS d(n, agency_id, course_id, enrolled, completed, valid, expiring, expired, overdue)
  WHERE d.agency_id IS NOT NULL
  GROUP BY d.agency_id, d.course_id
  HAVING (sum(d.n), sum(d.n * d.enrolled::int), sum(d.n * d.completed::int), sum(d.n * d.valid::int), sum(d.n * d.expiring::int),
    sum(d.n * d.expired::int), sum(d.n * d.overdue::int)) <> (0, 0, 0, 0, 0, 0, 0)
  ORDER BY d.agency_id, d.course_id
  ON CONFLICT (agency_id, course_id) DO UPDATE SET staff = c.staff + excluded.staff, enrolled = c.enrolled + excluded.enrolled,
    completed = c.completed + excluded.completed, valid = c.valid + excluded.valid, expiring = c.expiring + excluded.expiring,
    expired = c.expired + excluded.expired, overdue = c.overdue + excluded.overdue;
END $$;

-- A refresh of a few people (one learner's write): the same statements, planned once per session.
CREATE FUNCTION report_refresh_few(p_ids uuid[], p_courses uuid[]) RETURNS void LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  PERFORM report_refresh_apply(p_ids, p_courses);
END $$;

-- A refresh of many people (an assignment on a province, a move, a large import): custom plans
-- (the ids are a constant the planner sees), sorts and hashes in memory, and no JIT compilation
-- (seconds of compiling for one statement run once).
CREATE FUNCTION report_refresh_many(p_ids uuid[], p_courses uuid[]) RETURNS void LANGUAGE plpgsql
SET plan_cache_mode = auto SET work_mem = '64MB' SET jit = off AS $$
BEGIN
  PERFORM report_refresh_apply(p_ids, p_courses);
END $$;

-- Writers take the shared lock; the expiry job and the rebuild take it exclusively.
CREATE OR REPLACE FUNCTION report_refresh(p_ids uuid[], p_courses uuid[] DEFAULT NULL) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_ids IS NULL OR cardinality(p_ids) = 0 THEN RETURN; END IF;
  PERFORM pg_advisory_xact_lock_shared(716016);
  IF cardinality(p_ids) = 1 AND cardinality(p_courses) = 1 THEN
    PERFORM report_refresh_one(p_ids[1], p_courses[1]);
  ELSIF cardinality(p_ids) <= 32 AND (p_courses IS NULL OR cardinality(p_courses) <= 16) THEN
    PERFORM report_refresh_few(p_ids, p_courses);
  ELSE
    PERFORM report_refresh_many(p_ids, p_courses);
  END IF;
END $$;

-- The active tree's closure brought up to date; returns the pairs added or removed.
CREATE FUNCTION report_closure_changes() RETURNS TABLE (ancestor_id uuid, descendant_id uuid) LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
  PERFORM pg_advisory_xact_lock(716017);
  RETURN QUERY
  WITH RECURSIVE tree AS (
    SELECT a.id, ARRAY[a.id] AS path FROM agency a WHERE a.parent_id IS NULL AND a.status = 'ACTIVE'
    UNION ALL
    SELECT a.id, t.path || a.id FROM agency a JOIN tree t ON a.parent_id = t.id WHERE a.status = 'ACTIVE'
  ),
  fresh AS (SELECT DISTINCT x.anc AS ancestor_id, t.id AS descendant_id FROM tree t, unnest(t.path) AS x(anc)),
  gone AS (
    DELETE FROM agency_closure c
    WHERE NOT EXISTS (SELECT 1 FROM fresh f WHERE f.ancestor_id = c.ancestor_id AND f.descendant_id = c.descendant_id)
    RETURNING c.ancestor_id, c.descendant_id
  ),
  added AS (
    INSERT INTO agency_closure (ancestor_id, descendant_id)
    SELECT f.ancestor_id, f.descendant_id FROM fresh f
    WHERE NOT EXISTS (SELECT 1 FROM agency_closure c WHERE c.ancestor_id = f.ancestor_id AND c.descendant_id = f.descendant_id)
    RETURNING ancestor_id, descendant_id
  )
  SELECT g.ancestor_id, g.descendant_id FROM gone g UNION SELECT a.ancestor_id, a.descendant_id FROM added a;
END $$;

-- Kept for the rebuild: the agencies whose set of ancestors changed.
CREATE OR REPLACE FUNCTION report_sync_closure() RETURNS uuid[] LANGUAGE sql AS $$
  SELECT COALESCE(array_agg(DISTINCT c.descendant_id), '{}') FROM report_closure_changes() c
$$;

-- The people a set of assignments (agency, course, job titles) concerns, and their courses.
CREATE FUNCTION report_assignments_refresh(p_agencies uuid[], p_courses uuid[], p_titles text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  -- p_titles[i]: the i-th assignment's job titles joined with a unit separator ('' = everybody).
  PERFORM report_refresh(
    ARRAY(
      SELECT DISTINCT s.id
      FROM unnest(p_agencies, p_titles) AS x(agency_id, titles)
      JOIN agency_closure cl ON cl.ancestor_id = x.agency_id
      JOIN staff_record s ON s.agency_id = cl.descendant_id
      WHERE x.titles = '' OR s.job_title = ANY(string_to_array(x.titles, chr(31)))),
    ARRAY(SELECT DISTINCT c FROM unnest(p_courses) c));
END $$;

-- Enrolments and certificates: as before (migration 20261202130000), its lookups planned once per
-- session (a bulk write's refresh still gets custom plans in report_refresh_many).
CREATE OR REPLACE FUNCTION report_learning_changed() RETURNS trigger LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_users uuid[];
  v_courses uuid[];
BEGIN
  -- An enrolment or a certificate of course C changes only the rows of C and "any course".
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT n.user_id), array_agg(DISTINCT n.course_id) INTO v_users, v_courses FROM new_rows n;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT o.user_id), array_agg(DISTINCT o.course_id) INTO v_users, v_courses FROM old_rows o;
  ELSIF TG_TABLE_NAME = 'enrolment' THEN
    SELECT array_agg(DISTINCT x.u), array_agg(DISTINCT x.c) INTO v_users, v_courses
    FROM new_rows n JOIN old_rows o ON o.id = n.id, LATERAL (VALUES (n.user_id, n.course_id), (o.user_id, o.course_id)) x(u, c)
    WHERE (n.user_id, n.course_id, n.completed_at) IS DISTINCT FROM (o.user_id, o.course_id, o.completed_at);
  ELSE
    SELECT array_agg(DISTINCT x.u), array_agg(DISTINCT x.c) INTO v_users, v_courses
    FROM new_rows n JOIN old_rows o ON o.id = n.id, LATERAL (VALUES (n.user_id, n.course_id), (o.user_id, o.course_id)) x(u, c)
    WHERE (n.user_id, n.course_id, n.expires_at, n.revoked_at, n.superseded_by_id)
      IS DISTINCT FROM (o.user_id, o.course_id, o.expires_at, o.revoked_at, o.superseded_by_id);
  END IF;
  IF cardinality(v_users) > 0 THEN
    PERFORM report_refresh(ARRAY(SELECT s.id FROM staff_record s WHERE s.user_id = ANY(v_users)), v_courses);
  END IF;
  RETURN NULL;
END $$;

-- Assignments (and a course retired or restored): their course(s), for the people they concern.
CREATE OR REPLACE FUNCTION report_assignment_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_agencies uuid[];
  v_courses uuid[];
  v_titles text[];
BEGIN
  IF TG_TABLE_NAME = 'course' THEN
    SELECT array_agg(ca.agency_id), array_agg(ca.course_id), array_agg(array_to_string(ca.job_titles, chr(31)))
    INTO v_agencies, v_courses, v_titles
    FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN course_assignment ca ON ca.course_id = n.id
    WHERE n.retired_at IS DISTINCT FROM o.retired_at;
  ELSIF TG_OP = 'INSERT' THEN
    SELECT array_agg(n.agency_id), array_agg(n.course_id), array_agg(array_to_string(n.job_titles, chr(31)))
    INTO v_agencies, v_courses, v_titles FROM new_rows n;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(o.agency_id), array_agg(o.course_id), array_agg(array_to_string(o.job_titles, chr(31)))
    INTO v_agencies, v_courses, v_titles FROM old_rows o;
  ELSE
    SELECT array_agg(x.a), array_agg(x.c), array_agg(array_to_string(x.t, chr(31)))
    INTO v_agencies, v_courses, v_titles
    FROM new_rows n JOIN old_rows o ON o.id = n.id,
      LATERAL (VALUES (n.agency_id, n.course_id, n.job_titles), (o.agency_id, o.course_id, o.job_titles)) x(a, c, t)
    WHERE (n.agency_id, n.course_id, n.job_titles, n.due_at) IS DISTINCT FROM (o.agency_id, o.course_id, o.job_titles, o.due_at);
  END IF;
  IF cardinality(v_agencies) > 0 THEN
    PERFORM report_assignments_refresh(v_agencies, v_courses, v_titles);
  END IF;
  RETURN NULL;
END $$;

-- Agencies: the closure follows parents and statuses. "Overdue" follows the ancestors'
-- assignments, so only the people under an agency that gained or lost an ancestor holding an
-- assignment are refreshed, for those assignments' courses (merges move staff records, which their
-- own trigger refreshes).
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
  -- Each changed (ancestor, descendant) pair whose ancestor holds an assignment: the descendant's
  -- people, for that assignment. Passed as the descendant (no closure walk: the agency itself).
  SELECT array_agg(ch.descendant_id), array_agg(ca.course_id), array_agg(array_to_string(ca.job_titles, chr(31)))
  INTO v_agencies, v_courses, v_titles
  FROM report_closure_changes() ch JOIN course_assignment ca ON ca.agency_id = ch.ancestor_id;
  IF cardinality(v_agencies) > 0 THEN
    PERFORM report_refresh(
      ARRAY(
        SELECT DISTINCT s.id
        FROM unnest(v_agencies, v_titles) AS x(agency_id, titles)
        JOIN staff_record s ON s.agency_id = x.agency_id
        WHERE x.titles = '' OR s.job_title = ANY(string_to_array(x.titles, chr(31)))),
      ARRAY(SELECT DISTINCT c FROM unnest(v_courses) c));
  END IF;
  RETURN NULL;
END $$;

-- The staff records whose flags can change with time alone between two instants (as before): a
-- current certificate expires or enters the 60-day window; an assignment falls due. Now PL/pgSQL
-- with custom plans: the planner sees the actual instants (a minute apart for the report's
-- read-time correction) and reads two ranges of the expires_at index; as a SQL function it was
-- planned for unknown bounds and read most of the certificates (≈ 50 ms per report at national
-- scale, measured by EXPLAIN ANALYZE).
CREATE OR REPLACE FUNCTION report_due_people(p_from timestamptz, p_to timestamptz) RETURNS uuid[] LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_custom_plan AS $$
BEGIN
  RETURN ARRAY(
    SELECT s.id FROM staff_record s
    WHERE s.user_id = ANY(ARRAY(
      SELECT c.user_id FROM certificate c
      WHERE c.expires_at >= p_from AND c.expires_at <= p_to AND c.revoked_at IS NULL AND c.superseded_by_id IS NULL
      UNION
      SELECT c.user_id FROM certificate c
      WHERE c.expires_at >= p_from + interval '1440 hours' AND c.expires_at <= p_to + interval '1440 hours'
        AND c.revoked_at IS NULL AND c.superseded_by_id IS NULL))
    UNION
    SELECT s.id FROM staff_record s
    WHERE s.agency_id = ANY(ARRAY(
      SELECT cl.descendant_id FROM course_assignment ca
      JOIN agency_closure cl ON cl.ancestor_id = ca.agency_id
      WHERE ca.due_at >= p_from AND ca.due_at <= p_to)));
END $$;
