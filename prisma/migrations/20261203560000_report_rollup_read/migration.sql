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
