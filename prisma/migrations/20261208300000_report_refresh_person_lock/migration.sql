-- ── Concurrent refreshes of one person serialised (docs/decisions/016, amendment 2026-12-08, "Concurrent refreshes of one person") ──
-- Every refresh (report_refresh_one / _few / _many) reads the person's stored rows, computes their
-- fresh rows from what its snapshot sees, writes them and moves the counters by the difference from
-- the rows it read. The shared lock 716016 keeps the expiry job and the rebuild out, but lets two
-- writers of one person run at once. Under READ COMMITTED (tests/integration/report-refresh-race.test.ts):
--   T1: enrols P in C1 — refresh: P's "any course" row becomes enrolled, counter +1; T1 still open
--   T2: enrols P in C2 — refresh reads P's "any course" row as before T1 (not enrolled), computes it
--       enrolled, waits on the row lock T1 holds on it; T1 commits; T2 overwrites it, counter +1
-- P is counted twice in "any course", and T2's "any course" row lacks what only T1 saw.
--
-- Now a refresh first takes, per person, a transaction-level advisory lock (716018, bucket), the
-- bucket being hashtext(staff id) & 1023, in ascending bucket order (so two refreshes of
-- overlapping people in one statement each cannot deadlock), *before* reading anything. A second
-- writer of P waits there until the first commits; its following statements take new snapshots
-- (READ COMMITTED, volatile functions), so it reads P's committed rows and moves the counters by the
-- right difference. Buckets bound the locks one transaction holds (≤ 1,024, however many people an
-- import or the expiry job refreshes); two different people sharing a bucket only wait for each
-- other's commit.
CREATE FUNCTION report_lock_people(p_ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  k integer;
BEGIN
  IF cardinality(p_ids) = 1 THEN
    PERFORM pg_advisory_xact_lock(716018, hashtext(p_ids[1]::text) & 1023);
    RETURN;
  END IF;
  FOR k IN SELECT DISTINCT hashtext(i::text) & 1023 FROM unnest(p_ids) i ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(716018, k);
  END LOOP;
END $$;

-- As in migration 20261203100000, with the people locked before their rows are read.
CREATE OR REPLACE FUNCTION report_refresh(p_ids uuid[], p_courses uuid[] DEFAULT NULL) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_ids IS NULL OR cardinality(p_ids) = 0 THEN RETURN; END IF;
  PERFORM pg_advisory_xact_lock_shared(716016);
  PERFORM report_lock_people(p_ids);
  IF cardinality(p_ids) = 1 AND cardinality(p_courses) = 1 THEN
    PERFORM report_refresh_one(p_ids[1], p_courses[1]);
  ELSIF cardinality(p_ids) <= 32 AND (p_courses IS NULL OR cardinality(p_courses) <= 16) THEN
    PERFORM report_refresh_few(p_ids, p_courses);
  ELSE
    PERFORM report_refresh_many(p_ids, p_courses);
  END IF;
END $$;

-- The set-based refresh of "overdue" (assignments, agency moves and status changes, the expiry
-- job; migration 20261208200000) reads the stored rows of every person of its agencies: it locks
-- their buckets the same way first (an assignment on a province takes all 1,024; a learner of the
-- province then waits for the admin's commit, as they already did on the counter rows that
-- assignment writes). Its body is unchanged, renamed report_refresh_overdue_apply; the callers
-- call report_refresh_overdue by name.
ALTER FUNCTION report_refresh_overdue(uuid[], uuid[]) RENAME TO report_refresh_overdue_apply;

CREATE FUNCTION report_refresh_overdue(p_agencies uuid[], p_courses uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  k integer;
BEGIN
  IF p_agencies IS NULL OR cardinality(p_agencies) = 0 OR p_courses IS NULL OR cardinality(p_courses) = 0 THEN RETURN; END IF;
  PERFORM pg_advisory_xact_lock_shared(716016);
  FOR k IN SELECT DISTINCT hashtext(s.id::text) & 1023 FROM staff_record s WHERE s.agency_id = ANY(p_agencies) ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(716018, k);
  END LOOP;
  PERFORM report_refresh_overdue_apply(p_agencies, p_courses);
END $$;
