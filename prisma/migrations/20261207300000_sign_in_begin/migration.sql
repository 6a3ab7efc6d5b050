-- Sign-in in two statements (docs/decisions/029-sign-in-off-the-page-path.md).
--
-- login_attempt.success is NULL while the attempt's password is being verified: the attempt is
-- recorded *before* the Argon2 verification, and counted as a failure until its result is written.
ALTER TABLE "login_attempt" ALTER COLUMN "success" DROP NOT NULL;

-- The first statement of a sign-in: the account, whether this browser is one of its trusted
-- devices, the throttle's verdict (per IP, per account: hourly caps and the growing delay of
-- app/modules/auth/throttle.server.ts, whose constants are passed in) and, when allowed, the
-- attempt recorded as under way — decided and written under two transaction-level advisory locks
-- (the typed identifier's, then the IP's; always in that order, so never a deadlock). Concurrent
-- sign-ins for one identifier or from one address, in any process, are therefore counted one after
-- the other: each sees the attempts before it, under way ones included (each statement of a
-- plpgsql function sees what was committed before it started, and the locks are held until this
-- function's transaction commits). Refused attempts are not recorded.
CREATE FUNCTION sign_in_begin(
  p_identifier text,
  p_by_phone boolean,
  p_ip text,
  p_device_hash bytea,
  p_now timestamptz,
  p_window interval,
  p_ip_cap integer,
  p_account_cap integer,
  p_free_failures integer,
  p_max_delay_s integer,
  OUT attempt_id bigint,
  OUT user_id uuid,
  OUT password_hash text,
  OUT deactivated boolean,
  OUT refusal text,
  OUT refused_until timestamptz
) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_trusted boolean := false;
  v_failures integer;
  v_oldest timestamptz;
  v_last timestamptz;
  v_delay integer;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('banso.sign-in.account:' || p_identifier, 0));
  PERFORM pg_advisory_xact_lock(hashtextextended('banso.sign-in.ip:' || p_ip, 0));

  IF p_by_phone THEN
    SELECT u.id, u.password_hash, u.deactivated_at IS NOT NULL INTO user_id, password_hash, deactivated FROM app_user u WHERE u.phone = p_identifier;
  ELSE
    SELECT u.id, u.password_hash, u.deactivated_at IS NOT NULL INTO user_id, password_hash, deactivated FROM app_user u WHERE u.email = p_identifier;
  END IF;
  IF user_id IS NOT NULL AND p_device_hash IS NOT NULL THEN
    v_trusted := EXISTS (SELECT 1 FROM trusted_device d WHERE d.token_hash = p_device_hash AND d.user_id = sign_in_begin.user_id);
  END IF;

  -- Per IP: failures (and attempts under way) in the window.
  SELECT count(*)::int, min(a.at) INTO v_failures, v_oldest
    FROM login_attempt a WHERE a.ip = p_ip AND a.success IS NOT TRUE AND a.at > p_now - p_window;
  IF v_failures >= p_ip_cap THEN
    refusal := 'ip-cap';
    refused_until := v_oldest + p_window;
    RETURN;
  END IF;

  -- Per account: failures in the window after its last successful sign-in.
  SELECT count(*)::int, min(a.at), max(a.at) INTO v_failures, v_oldest, v_last
    FROM login_attempt a
   WHERE a.identifier = p_identifier AND a.success IS NOT TRUE AND a.at > p_now - p_window
     AND a.at > coalesce((SELECT max(s.at) FROM login_attempt s WHERE s.identifier = p_identifier AND s.success), '-infinity');
  IF v_failures >= p_account_cap AND NOT v_trusted THEN
    refusal := 'account-cap';
    refused_until := v_oldest + p_window;
    RETURN;
  END IF;
  IF v_failures > p_free_failures AND v_last IS NOT NULL THEN
    v_delay := least(power(2, least(v_failures - p_free_failures - 1, 30))::integer, p_max_delay_s);
    IF v_last + make_interval(secs => v_delay) > p_now THEN
      refusal := 'delay';
      refused_until := v_last + make_interval(secs => v_delay);
      RETURN;
    END IF;
  END IF;

  INSERT INTO login_attempt (identifier, ip, success, at) VALUES (p_identifier, p_ip, NULL, p_now) RETURNING id INTO attempt_id;
END
$$;
