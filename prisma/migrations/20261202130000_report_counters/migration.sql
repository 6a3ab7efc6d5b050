-- CreateTable
CREATE TABLE "agency_closure" (
    "ancestor_id" UUID NOT NULL,
    "descendant_id" UUID NOT NULL,

    CONSTRAINT "agency_closure_pkey" PRIMARY KEY ("ancestor_id","descendant_id")
);

-- CreateTable
CREATE TABLE "report_person" (
    "staff_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "agency_id" UUID NOT NULL,
    "enrolled" BOOLEAN NOT NULL,
    "completed" BOOLEAN NOT NULL,
    "valid" BOOLEAN NOT NULL,
    "expiring" BOOLEAN NOT NULL,
    "expired" BOOLEAN NOT NULL,
    "overdue" BOOLEAN NOT NULL,

    CONSTRAINT "report_person_pkey" PRIMARY KEY ("staff_id","course_id")
);

-- CreateTable
CREATE TABLE "report_counter" (
    "agency_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "staff" INTEGER NOT NULL DEFAULT 0,
    "enrolled" INTEGER NOT NULL DEFAULT 0,
    "completed" INTEGER NOT NULL DEFAULT 0,
    "valid" INTEGER NOT NULL DEFAULT 0,
    "expiring" INTEGER NOT NULL DEFAULT 0,
    "expired" INTEGER NOT NULL DEFAULT 0,
    "overdue" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "report_counter_pkey" PRIMARY KEY ("agency_id","course_id")
);

-- CreateTable
CREATE TABLE "report_clock" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "as_of" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "report_clock_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "agency_closure_descendant_id_idx" ON "agency_closure"("descendant_id");

-- CreateIndex
CREATE INDEX "report_counter_course_id_idx" ON "report_counter"("course_id");


-- ── The report counters (docs/decisions/016) ───────────────────────────────────────────────────
-- Kept by triggers, in the transaction of whatever write changes a person's figures: every write
-- path (enrolment, completion, certificates, roster import, linking, merges, moves, assignments)
-- is covered without a call in the application code. The flags are defined once, in
-- report_person_flags(); the reference (the live statement of app/modules/report/sql.server.ts)
-- is checked against them by tests/integration/report-counters.test.ts.

INSERT INTO "report_clock" ("id", "as_of") VALUES (1, now());

-- The active tree: every (ancestor, descendant) pair, each agency with itself. Returns the
-- agencies whose set of ancestors changed (their people's "overdue" may have changed).
CREATE FUNCTION report_sync_closure() RETURNS uuid[] LANGUAGE plpgsql AS $$
DECLARE
  v_changed uuid[];
BEGIN
  PERFORM pg_advisory_xact_lock(716017);
  WITH RECURSIVE tree AS (
    SELECT a.id, ARRAY[a.id] AS path FROM agency a WHERE a.parent_id IS NULL AND a.status = 'ACTIVE'
    UNION ALL
    SELECT a.id, t.path || a.id FROM agency a JOIN tree t ON a.parent_id = t.id WHERE a.status = 'ACTIVE'
  ),
  fresh AS (SELECT DISTINCT x.anc AS ancestor_id, t.id AS descendant_id FROM tree t, unnest(t.path) AS x(anc)),
  gone AS (
    DELETE FROM agency_closure c
    WHERE NOT EXISTS (SELECT 1 FROM fresh f WHERE f.ancestor_id = c.ancestor_id AND f.descendant_id = c.descendant_id)
    RETURNING c.descendant_id
  ),
  added AS (
    INSERT INTO agency_closure (ancestor_id, descendant_id)
    SELECT f.ancestor_id, f.descendant_id FROM fresh f
    WHERE NOT EXISTS (SELECT 1 FROM agency_closure c WHERE c.ancestor_id = f.ancestor_id AND c.descendant_id = f.descendant_id)
    RETURNING descendant_id
  )
  SELECT COALESCE(array_agg(DISTINCT d), '{}') INTO v_changed
  FROM (SELECT descendant_id AS d FROM gone UNION SELECT descendant_id FROM added) x;
  RETURN v_changed;
END $$;

-- The report flags of some staff records at a time, per course and for "any course" (the nil
-- uuid). The same definitions as the live statement (ADR 009): enrolled, completed, valid (a
-- current certificate — not revoked, not superseded — not expired), expiring (within 60 days,
-- counted as 1440 hours like the live statement), expired (a current one lapsed and none valid),
-- overdue (a past-due assignment of the agency or an ancestor, job title matching, course not
-- retired, not completed).
CREATE FUNCTION report_person_flags(p_ids uuid[], p_at timestamptz)
RETURNS TABLE (staff_id uuid, course_id uuid, agency_id uuid, enrolled boolean, completed boolean, valid boolean, expiring boolean, expired boolean, overdue boolean)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
  -- plpgsql rather than sql: the plan is cached per session (a write pays no planning).
  RETURN QUERY
  WITH people AS (
    SELECT s.id AS staff_id, s.agency_id, s.user_id, s.job_title FROM staff_record s WHERE s.id = ANY(p_ids)
  ),
  en AS (
    SELECT pe.staff_id, e.course_id, (e.completed_at IS NOT NULL) AS completed
    FROM people pe JOIN enrolment e ON e.user_id = pe.user_id
  ),
  ce AS (
    SELECT pe.staff_id, c.course_id,
      bool_or(c.expires_at IS NULL OR c.expires_at >= p_at) AS valid,
      bool_or(c.expires_at >= p_at AND c.expires_at < p_at + interval '1440 hours') AS expiring,
      bool_or(c.expires_at < p_at) AS lapsed
    FROM people pe JOIN certificate c ON c.user_id = pe.user_id
    WHERE c.revoked_at IS NULL AND c.superseded_by_id IS NULL
    GROUP BY pe.staff_id, c.course_id
  ),
  due AS (
    SELECT DISTINCT pe.staff_id, ca.course_id
    FROM people pe
    JOIN agency_closure cl ON cl.descendant_id = pe.agency_id
    JOIN course_assignment ca ON ca.agency_id = cl.ancestor_id
    JOIN course co ON co.id = ca.course_id AND co.retired_at IS NULL
    WHERE ca.due_at < p_at AND (cardinality(ca.job_titles) = 0 OR pe.job_title = ANY(ca.job_titles))
  ),
  keys AS (
    SELECT en.staff_id, en.course_id FROM en UNION SELECT ce.staff_id, ce.course_id FROM ce UNION SELECT due.staff_id, due.course_id FROM due
  ),
  per_course AS (
    SELECT k.staff_id, k.course_id,
      (en.staff_id IS NOT NULL) AS enrolled,
      COALESCE(en.completed, false) AS completed,
      COALESCE(ce.valid, false) AS valid,
      COALESCE(ce.expiring, false) AS expiring,
      COALESCE(ce.lapsed, false) AS lapsed,
      (due.staff_id IS NOT NULL AND NOT COALESCE(en.completed, false)) AS overdue
    FROM keys k
    LEFT JOIN en ON en.staff_id = k.staff_id AND en.course_id = k.course_id
    LEFT JOIN ce ON ce.staff_id = k.staff_id AND ce.course_id = k.course_id
    LEFT JOIN due ON due.staff_id = k.staff_id AND due.course_id = k.course_id
  )
  SELECT pc.staff_id, pc.course_id, pe.agency_id, pc.enrolled, pc.completed, pc.valid, pc.expiring,
    (pc.lapsed AND NOT pc.valid), pc.overdue
  FROM per_course pc JOIN people pe ON pe.staff_id = pc.staff_id
  UNION ALL
  SELECT pe.staff_id, '00000000-0000-0000-0000-000000000000'::uuid, pe.agency_id,
    COALESCE(bool_or(pc.enrolled), false), COALESCE(bool_or(pc.completed), false),
    COALESCE(bool_or(pc.valid), false), COALESCE(bool_or(pc.expiring), false),
    COALESCE(bool_or(pc.lapsed), false) AND NOT COALESCE(bool_or(pc.valid), false),
    COALESCE(bool_or(pc.overdue), false)
  FROM people pe LEFT JOIN per_course pc ON pc.staff_id = pe.staff_id
  GROUP BY pe.staff_id, pe.agency_id;
END $$;

-- Re-evaluates some staff records: takes their stored flags out of the counters, computes them
-- afresh (at the later of the clock and the expiry job's time) and adds them back. Idempotent.
-- Writers take the shared lock; the expiry job and the rebuild take it exclusively.
-- p_courses: only these courses' rows (and "any course") can have changed; null: all of them.
CREATE FUNCTION report_refresh(p_ids uuid[], p_courses uuid[] DEFAULT NULL) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_at timestamptz;
  v_courses uuid[] := p_courses || '00000000-0000-0000-0000-000000000000'::uuid;
BEGIN
  IF p_ids IS NULL OR cardinality(p_ids) = 0 THEN RETURN; END IF;
  PERFORM pg_advisory_xact_lock_shared(716016);
  SELECT greatest(clock_timestamp(), max(r.as_of)) INTO v_at FROM report_clock r;
  -- One statement: the stored rows (as before it), the fresh rows, the upsert of the changed and
  -- new ones, the delete of the gone ones (disjoint keys), and the counters moved by the difference.
  WITH old AS (
    SELECT p.* FROM report_person p WHERE p.staff_id = ANY(p_ids) AND (p_courses IS NULL OR p.course_id = ANY(v_courses))
  ),
  fresh AS (
    SELECT f.* FROM report_person_flags(p_ids, v_at) f WHERE p_courses IS NULL OR f.course_id = ANY(v_courses)
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
  WHERE (staff, enrolled, completed, valid, expiring, expired, overdue) IS DISTINCT FROM (0, 0, 0, 0, 0, 0, 0)
  ORDER BY agency_id, course_id
  ON CONFLICT (agency_id, course_id) DO UPDATE SET staff = c.staff + excluded.staff, enrolled = c.enrolled + excluded.enrolled,
    completed = c.completed + excluded.completed, valid = c.valid + excluded.valid, expiring = c.expiring + excluded.expiring,
    expired = c.expired + excluded.expired, overdue = c.overdue + excluded.overdue;
END $$;

-- The staff records whose flags can change with time alone between two instants: a current
-- certificate expires, or enters the 60-day window; an assignment falls due.
CREATE FUNCTION report_due_people(p_from timestamptz, p_to timestamptz) RETURNS uuid[] LANGUAGE sql STABLE AS $$
  -- "= ANY(ARRAY(…))": a few index lookups, never a scan of staff_record.
  SELECT ARRAY(
    SELECT s.id FROM staff_record s
    WHERE s.user_id = ANY(ARRAY(
      SELECT c.user_id FROM certificate c
      WHERE c.revoked_at IS NULL AND c.superseded_by_id IS NULL
        AND ((c.expires_at >= p_from AND c.expires_at <= p_to)
          OR (c.expires_at >= p_from + interval '1440 hours' AND c.expires_at <= p_to + interval '1440 hours'))))
    UNION
    SELECT s.id FROM staff_record s
    WHERE s.agency_id = ANY(ARRAY(
      SELECT cl.descendant_id FROM course_assignment ca
      JOIN agency_closure cl ON cl.ancestor_id = ca.agency_id
      WHERE ca.due_at >= p_from AND ca.due_at <= p_to))
  )
$$;

-- The expiry job: re-evaluates the people whose flags changed with time up to p_to and moves the
-- clock. Returns how many were re-evaluated (null: another process is doing it right now).
CREATE FUNCTION report_advance(p_to timestamptz) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  v_from timestamptz;
  v_ids uuid[];
BEGIN
  IF NOT pg_try_advisory_xact_lock(716016) THEN RETURN NULL; END IF;
  SELECT as_of INTO v_from FROM report_clock WHERE id = 1;
  IF p_to <= v_from THEN RETURN 0; END IF;
  v_ids := report_due_people(v_from, p_to);
  UPDATE report_clock SET as_of = p_to WHERE id = 1;
  PERFORM report_refresh(v_ids);
  RETURN cardinality(v_ids);
END $$;

-- ── Triggers: one per table and operation (transition tables need one event each) ──
CREATE FUNCTION report_staff_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM report_refresh(ARRAY(SELECT n.id FROM new_rows n));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM report_refresh(ARRAY(SELECT o.id FROM old_rows o));
  ELSE
    PERFORM report_refresh(ARRAY(
      SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.agency_id, n.user_id, n.job_title) IS DISTINCT FROM (o.agency_id, o.user_id, o.job_title)));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER report_staff_insert AFTER INSERT ON staff_record REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_staff_changed();
CREATE TRIGGER report_staff_update AFTER UPDATE ON staff_record REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_staff_changed();
CREATE TRIGGER report_staff_delete AFTER DELETE ON staff_record REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_staff_changed();

-- Enrolments and certificates: the people linked to the learner accounts concerned.
CREATE FUNCTION report_learning_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER report_enrolment_insert AFTER INSERT ON enrolment REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_learning_changed();
CREATE TRIGGER report_enrolment_update AFTER UPDATE ON enrolment REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_learning_changed();
CREATE TRIGGER report_enrolment_delete AFTER DELETE ON enrolment REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_learning_changed();
CREATE TRIGGER report_certificate_insert AFTER INSERT ON certificate REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_learning_changed();
CREATE TRIGGER report_certificate_update AFTER UPDATE ON certificate REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_learning_changed();
CREATE TRIGGER report_certificate_delete AFTER DELETE ON certificate REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_learning_changed();

-- Assignments (and a course retired or restored): everybody under the agencies concerned.
CREATE FUNCTION report_assignment_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_agencies uuid[];
BEGIN
  IF TG_TABLE_NAME = 'course' THEN
    v_agencies := ARRAY(
      SELECT DISTINCT ca.agency_id FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN course_assignment ca ON ca.course_id = n.id
      WHERE n.retired_at IS DISTINCT FROM o.retired_at);
  ELSIF TG_OP = 'INSERT' THEN
    v_agencies := ARRAY(SELECT DISTINCT n.agency_id FROM new_rows n);
  ELSIF TG_OP = 'DELETE' THEN
    v_agencies := ARRAY(SELECT DISTINCT o.agency_id FROM old_rows o);
  ELSE
    v_agencies := ARRAY(
      SELECT a FROM new_rows n JOIN old_rows o ON o.id = n.id, LATERAL (VALUES (n.agency_id), (o.agency_id)) x(a)
      WHERE (n.agency_id, n.course_id, n.job_titles, n.due_at) IS DISTINCT FROM (o.agency_id, o.course_id, o.job_titles, o.due_at));
  END IF;
  IF cardinality(v_agencies) > 0 THEN
    PERFORM report_refresh(ARRAY(
      SELECT DISTINCT s.id FROM agency_closure cl JOIN staff_record s ON s.agency_id = cl.descendant_id
      WHERE cl.ancestor_id = ANY(v_agencies)));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER report_assignment_insert AFTER INSERT ON course_assignment REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_assignment_changed();
CREATE TRIGGER report_assignment_update AFTER UPDATE ON course_assignment REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_assignment_changed();
CREATE TRIGGER report_assignment_delete AFTER DELETE ON course_assignment REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_assignment_changed();
CREATE TRIGGER report_course_update AFTER UPDATE ON course REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_assignment_changed();

-- Agencies: the closure follows parents and statuses; people whose ancestors changed are
-- re-evaluated (merges move staff records, which their own trigger re-evaluates).
CREATE FUNCTION report_agency_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_changed uuid[];
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NOT EXISTS (
      SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.parent_id, n.status) IS DISTINCT FROM (o.parent_id, o.status)) THEN
      RETURN NULL;
    END IF;
  END IF;
  v_changed := report_sync_closure();
  IF cardinality(v_changed) > 0 THEN
    PERFORM report_refresh(ARRAY(SELECT s.id FROM staff_record s WHERE s.agency_id = ANY(v_changed)));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER report_agency_insert AFTER INSERT ON agency REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_agency_changed();
CREATE TRIGGER report_agency_update AFTER UPDATE ON agency REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_agency_changed();
CREATE TRIGGER report_agency_delete AFTER DELETE ON agency REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_agency_changed();

-- Existing data: the tree and everybody's flags.
SELECT report_sync_closure();
SELECT report_refresh(ARRAY(SELECT id FROM staff_record));
