-- The personal facts cache (docs/decisions/030, amendment 2026-12-08): every process keeps the facts
-- a signed-in page is filled with (session, person, roles, unread notifications, progress, My
-- learning) in memory, and drops a person's entries when the database says they changed. These
-- triggers say it, for every write path at once (the app's, a job's, a migration's, psql's): a
-- NOTIFY on channel personal_facts at commit, whose payload is the people concerned (user ids,
-- comma-separated) or '*' (everyone: a content, assignment or agency-tree change, more than 150
-- people or more than 2,000 rows in one statement). Statement-level, so a bulk write sends one notification, not one per row.

-- ids: the people of the statement's first rows; complete: whether those were all its rows (a
-- statement of thousands of rows is not read through: it means everyone).
CREATE FUNCTION personal_facts_notify(ids uuid[], complete boolean) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF NOT complete OR coalesce(array_length(ids, 1), 0) > 150 THEN
    PERFORM pg_notify('personal_facts', '*');
  ELSIF coalesce(array_length(ids, 1), 0) > 0 THEN
    PERFORM pg_notify('personal_facts', array_to_string(ids, ','));
  END IF;
END $$;

-- Tables with a user_id column (the person whose facts change).
CREATE FUNCTION personal_facts_by_user() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
  n int;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT user_id) FILTER (WHERE user_id IS NOT NULL), count(*) INTO ids, n FROM (SELECT user_id FROM new_rows LIMIT 2001) r;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT user_id) FILTER (WHERE user_id IS NOT NULL), count(*) INTO ids, n FROM (SELECT user_id FROM old_rows LIMIT 2001) r;
  ELSE
    SELECT array_agg(DISTINCT user_id) FILTER (WHERE user_id IS NOT NULL), count(*) INTO ids, n
      FROM (SELECT user_id FROM (SELECT user_id FROM new_rows UNION ALL SELECT user_id FROM old_rows) x LIMIT 4001) r;
    -- Each updated row is counted twice (old and new): complete when all 2 × 2,000 were read.
    n := CASE WHEN n > 4000 THEN 2001 ELSE 0 END;
  END IF;
  PERFORM personal_facts_notify(ids, n <= 2000);
  RETURN NULL;
END $$;

-- app_user itself (name, deactivation, agency, job title).
CREATE FUNCTION personal_facts_by_id() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
  n int;
BEGIN
  IF TG_OP = 'DELETE' THEN
    SELECT array_agg(id), count(*) INTO ids, n FROM (SELECT id FROM old_rows LIMIT 151) r;
  ELSE
    SELECT array_agg(id), count(*) INTO ids, n FROM (SELECT id FROM new_rows LIMIT 151) r;
  END IF;
  PERFORM personal_facts_notify(ids, n <= 150);
  RETURN NULL;
END $$;

-- lesson_progress: the person is the enrolment's.
CREATE FUNCTION personal_facts_by_enrolment() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
  n int;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT e.user_id), count(*) INTO ids, n FROM (SELECT enrolment_id FROM new_rows LIMIT 2001) r LEFT JOIN enrolment e ON e.id = r.enrolment_id;
  ELSIF TG_OP = 'DELETE' THEN
    -- A cascade from a deleted enrolment finds no enrolment here; the enrolment's own trigger tells.
    SELECT array_agg(DISTINCT e.user_id) FILTER (WHERE e.user_id IS NOT NULL), count(*) INTO ids, n FROM (SELECT enrolment_id FROM old_rows LIMIT 2001) r LEFT JOIN enrolment e ON e.id = r.enrolment_id;
  ELSE
    SELECT array_agg(DISTINCT e.user_id) FILTER (WHERE e.user_id IS NOT NULL), count(*) INTO ids, n
      FROM (SELECT enrolment_id FROM (SELECT enrolment_id FROM new_rows UNION ALL SELECT enrolment_id FROM old_rows) x LIMIT 4001) r LEFT JOIN enrolment e ON e.id = r.enrolment_id;
    -- Each updated row is counted twice (old and new): complete when all 2 × 2,000 were read.
    n := CASE WHEN n > 4000 THEN 2001 ELSE 0 END;
  END IF;
  PERFORM personal_facts_notify(ids, n <= 2000);
  RETURN NULL;
END $$;

-- Everyone: the content (lessons, courses), assignments to agencies. Only when a row changed: a
-- statement trigger also fires for a statement that touched nothing.
CREATE FUNCTION personal_facts_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- One branch per event: a trigger has only the transition tables of its own event.
  IF TG_OP = 'DELETE' THEN
    IF EXISTS (SELECT 1 FROM old_rows) THEN PERFORM pg_notify('personal_facts', '*'); END IF;
  ELSIF EXISTS (SELECT 1 FROM new_rows) THEN
    PERFORM pg_notify('personal_facts', '*');
  END IF;
  RETURN NULL;
END $$;

-- An agency's place in the tree decides the assignments its people see; its other columns do not.
CREATE FUNCTION personal_facts_agency_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o.parent_id IS DISTINCT FROM n.parent_id) THEN
    PERFORM pg_notify('personal_facts', '*');
  END IF;
  RETURN NULL;
END $$;

-- A new session is in no cache yet: only its changes and its end count.
CREATE TRIGGER personal_facts_upd AFTER UPDATE ON session REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_by_user();
CREATE TRIGGER personal_facts_del AFTER DELETE ON session REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_by_user();

-- A new person has no session yet.
CREATE TRIGGER personal_facts_upd AFTER UPDATE ON app_user REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_by_id();
CREATE TRIGGER personal_facts_del AFTER DELETE ON app_user REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_by_id();

CREATE TRIGGER personal_facts_ins AFTER INSERT ON role_grant REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_by_user();
CREATE TRIGGER personal_facts_upd AFTER UPDATE ON role_grant REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_by_user();
CREATE TRIGGER personal_facts_del AFTER DELETE ON role_grant REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_by_user();

CREATE TRIGGER personal_facts_ins AFTER INSERT ON notification REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_by_user();
CREATE TRIGGER personal_facts_upd AFTER UPDATE ON notification REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_by_user();
CREATE TRIGGER personal_facts_del AFTER DELETE ON notification REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_by_user();

CREATE TRIGGER personal_facts_ins AFTER INSERT ON enrolment REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_by_user();
CREATE TRIGGER personal_facts_upd AFTER UPDATE ON enrolment REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_by_user();
CREATE TRIGGER personal_facts_del AFTER DELETE ON enrolment REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_by_user();

CREATE TRIGGER personal_facts_ins AFTER INSERT ON quiz_attempt REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_by_user();
CREATE TRIGGER personal_facts_upd AFTER UPDATE ON quiz_attempt REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_by_user();
CREATE TRIGGER personal_facts_del AFTER DELETE ON quiz_attempt REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_by_user();

CREATE TRIGGER personal_facts_ins AFTER INSERT ON certificate REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_by_user();
CREATE TRIGGER personal_facts_upd AFTER UPDATE ON certificate REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_by_user();
CREATE TRIGGER personal_facts_del AFTER DELETE ON certificate REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_by_user();

CREATE TRIGGER personal_facts_ins AFTER INSERT ON lesson_progress REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_by_enrolment();
CREATE TRIGGER personal_facts_upd AFTER UPDATE ON lesson_progress REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_by_enrolment();
CREATE TRIGGER personal_facts_del AFTER DELETE ON lesson_progress REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_by_enrolment();

CREATE TRIGGER personal_facts_ins AFTER INSERT ON course REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_all();
CREATE TRIGGER personal_facts_upd AFTER UPDATE ON course REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_all();
CREATE TRIGGER personal_facts_del AFTER DELETE ON course REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_all();

CREATE TRIGGER personal_facts_ins AFTER INSERT ON lesson REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_all();
CREATE TRIGGER personal_facts_upd AFTER UPDATE ON lesson REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_all();
CREATE TRIGGER personal_facts_del AFTER DELETE ON lesson REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_all();

CREATE TRIGGER personal_facts_ins AFTER INSERT ON course_assignment REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_all();
CREATE TRIGGER personal_facts_upd AFTER UPDATE ON course_assignment REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_all();
CREATE TRIGGER personal_facts_del AFTER DELETE ON course_assignment REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_all();

CREATE TRIGGER personal_facts_moved AFTER UPDATE ON agency REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION personal_facts_agency_moved();
