-- ── The report counters, rolled up at read time with plans for the real sizes (ADR 016) ───────
-- No table changes. The report statement (countersReportSql) summed, for every shown agency, the
-- counters of its whole subtree through agency_closure inside one statement: the planner
-- estimated each agency's subtree at the closure's average (≈ 3 rows), so the national view (34
-- provinces, 10,914 agencies below) ran nested loops planned for 36 rows — 10,914 × 3 index probes
-- (170–640 ms). Here the shown agencies' ids are a parameter of a custom plan: the planner sees
-- them, reads their subtree sizes from the closure's statistics (a province is a common value) and
-- hashes the 10,914 rows against one course's counters (≈ 14 ms of CPU); a province's 641 rows and
-- a commune's three take index probes (random_page_cost 1.1 in the function: the counters are
-- small and cached, and with the default 4 a province read all 10,914 rows of its course too).
-- For "any course" the staff and the figures are one counter row, joined once.
--
-- Own figures (the agency's own counter rows) and the rolled-up sums, per agency of p_ids, for
-- the course p_key (the nil uuid = any course). Headcount: the manual headcount, else the staff.
CREATE FUNCTION report_rollup(p_ids uuid[], p_key uuid)
RETURNS TABLE (id uuid,
  o_headcount integer, o_staff integer, o_enrolled integer, o_completed integer, o_valid integer, o_expiring integer, o_expired integer, o_overdue integer,
  r_headcount integer, r_staff integer, r_enrolled integer, r_completed integer, r_valid integer, r_expiring integer, r_expired integer, r_overdue integer)
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_custom_plan SET random_page_cost = 1.1 AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT x.ancestor_id,
    (sum(x.headcount) FILTER (WHERE x.self))::int, (sum(x.staff) FILTER (WHERE x.self))::int,
    (sum(x.enrolled) FILTER (WHERE x.self))::int, (sum(x.completed) FILTER (WHERE x.self))::int,
    (sum(x.valid) FILTER (WHERE x.self))::int, (sum(x.expiring) FILTER (WHERE x.self))::int,
    (sum(x.expired) FILTER (WHERE x.self))::int, (sum(x.overdue) FILTER (WHERE x.self))::int,
    sum(x.headcount)::int, sum(x.staff)::int, sum(x.enrolled)::int, sum(x.completed)::int,
    sum(x.valid)::int, sum(x.expiring)::int, sum(x.expired)::int, sum(x.overdue)::int
  FROM (
    SELECT cl.ancestor_id, cl.ancestor_id = cl.descendant_id AS self,
      COALESCE(a.headcount_manual, s.staff, 0) AS headcount, COALESCE(s.staff, 0) AS staff,
      COALESCE(c.enrolled, 0) AS enrolled, COALESCE(c.completed, 0) AS completed, COALESCE(c.valid, 0) AS valid,
      COALESCE(c.expiring, 0) AS expiring, COALESCE(c.expired, 0) AS expired, COALESCE(c.overdue, 0) AS overdue
    FROM agency_closure cl
    LEFT JOIN agency a ON a.id = cl.descendant_id AND a.headcount_manual IS NOT NULL
    LEFT JOIN report_counter s ON s.agency_id = cl.descendant_id AND s.course_id = '00000000-0000-0000-0000-000000000000'::uuid
    LEFT JOIN report_counter c ON c.agency_id = cl.descendant_id AND c.course_id = p_key
    WHERE cl.ancestor_id = ANY(p_ids) AND p_key <> '00000000-0000-0000-0000-000000000000'::uuid
    UNION ALL
    -- Any course: the staff and the figures are the same counter row (one join fewer).
    SELECT cl.ancestor_id, cl.ancestor_id = cl.descendant_id,
      COALESCE(a.headcount_manual, s.staff, 0), COALESCE(s.staff, 0),
      COALESCE(s.enrolled, 0), COALESCE(s.completed, 0), COALESCE(s.valid, 0),
      COALESCE(s.expiring, 0), COALESCE(s.expired, 0), COALESCE(s.overdue, 0)
    FROM agency_closure cl
    LEFT JOIN agency a ON a.id = cl.descendant_id AND a.headcount_manual IS NOT NULL
    LEFT JOIN report_counter s ON s.agency_id = cl.descendant_id AND s.course_id = '00000000-0000-0000-0000-000000000000'::uuid
    WHERE cl.ancestor_id = ANY(p_ids) AND p_key = '00000000-0000-0000-0000-000000000000'::uuid
  ) x
  GROUP BY x.ancestor_id;
END $$;

-- ── The rebuild in one pass (npm run report:rebuild, and the bench after its bulk load) ─────────
-- Every staff record's flag rows at p_at, set-based over the whole tables: one grouping of the
-- enrolments, current certificates and past-due assignments by (person, course), then the "any
-- course" row per person (the OR of their per-course rows, as report_person_flags). The same
-- flags as report_course_flags (the one definition for writes), written for all people at once:
-- report_course_flags(every id) unions the three sources' keys and joins each back (four passes
-- over tens of millions of rows at national scale). tests/integration/report-counters.test.ts
-- checks after its random sequences that the rebuild finds no drift, so the two agree.
CREATE FUNCTION report_all_flags(p_at timestamptz)
RETURNS TABLE (staff_id uuid, course_id uuid, agency_id uuid, enrolled boolean, completed boolean, valid boolean, expiring boolean, expired boolean, overdue boolean)
LANGUAGE sql STABLE AS $$
  WITH pc AS MATERIALIZED (
    SELECT x.staff_id, x.course_id, x.agency_id,
      bool_or(x.en) AS enrolled,
      bool_or(x.completed) AS completed,
      bool_or(x.valid) AS valid,
      COALESCE(bool_or(x.expiring), false) AS expiring,
      COALESCE(bool_or(x.lapsed), false) AND NOT bool_or(x.valid) AS expired,
      bool_or(x.due) AND NOT bool_or(x.completed) AS overdue
    FROM (
      SELECT s.id AS staff_id, e.course_id, s.agency_id, true AS en, e.completed_at IS NOT NULL AS completed,
        false AS valid, false AS expiring, false AS lapsed, false AS due
      FROM staff_record s JOIN enrolment e ON e.user_id = s.user_id
      UNION ALL
      SELECT s.id, c.course_id, s.agency_id, false, false,
        c.expires_at IS NULL OR c.expires_at >= p_at,
        c.expires_at >= p_at AND c.expires_at < p_at + interval '1440 hours',
        c.expires_at < p_at, false
      FROM staff_record s JOIN certificate c ON c.user_id = s.user_id
      WHERE c.revoked_at IS NULL AND c.superseded_by_id IS NULL
      UNION ALL
      SELECT s.id, ca.course_id, s.agency_id, false, false, false, false, false, true
      FROM course_assignment ca
      JOIN course co ON co.id = ca.course_id AND co.retired_at IS NULL
      JOIN agency_closure cl ON cl.ancestor_id = ca.agency_id
      JOIN staff_record s ON s.agency_id = cl.descendant_id
      WHERE ca.due_at < p_at AND (cardinality(ca.job_titles) = 0 OR s.job_title = ANY(ca.job_titles))
    ) x
    GROUP BY x.staff_id, x.course_id, x.agency_id
  )
  SELECT * FROM pc
  UNION ALL
  SELECT s.id, '00000000-0000-0000-0000-000000000000'::uuid, s.agency_id,
    COALESCE(a.enrolled, false), COALESCE(a.completed, false), COALESCE(a.valid, false), COALESCE(a.expiring, false),
    COALESCE(a.expired, false) AND NOT COALESCE(a.valid, false), COALESCE(a.overdue, false)
  FROM staff_record s
  LEFT JOIN (
    SELECT pc.staff_id, bool_or(pc.enrolled) AS enrolled, bool_or(pc.completed) AS completed, bool_or(pc.valid) AS valid,
      bool_or(pc.expiring) AS expiring, bool_or(pc.expired) AS expired, bool_or(pc.overdue) AS overdue
    FROM pc GROUP BY pc.staff_id
  ) a ON a.staff_id = s.id
$$;
