-- OpenID Connect sign-in (docs/decisions/028): provider accounts linked to people, and sign-ins under way.
-- CreateTable
CREATE TABLE "user_identity" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "issuer" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "email" TEXT,
    "linked_by" TEXT NOT NULL,
    "linked_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_sign_in_at" TIMESTAMPTZ(3),

    CONSTRAINT "user_identity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "oidc_login_state" (
    "state_hash" BYTEA NOT NULL,
    "nonce" TEXT NOT NULL,
    "code_verifier" TEXT NOT NULL,
    "redirect_to" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "oidc_login_state_pkey" PRIMARY KEY ("state_hash")
);

-- CreateIndex
CREATE INDEX "user_identity_user_id_idx" ON "user_identity"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "user_identity_issuer_subject_key" ON "user_identity"("issuer", "subject");

-- CreateIndex
CREATE INDEX "oidc_login_state_expires_at_idx" ON "oidc_login_state"("expires_at");

-- AddForeignKey
ALTER TABLE "user_identity" ADD CONSTRAINT "user_identity_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_identity" ADD CONSTRAINT "user_identity_linked_by_id_fkey" FOREIGN KEY ("linked_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- How a link was made; a link an admin made names the admin (until that account is deleted).
ALTER TABLE "user_identity" ADD CONSTRAINT "user_identity_linked_by_check" CHECK ("linked_by" IN ('created', 'email', 'admin'));
ALTER TABLE "user_identity" ADD CONSTRAINT "user_identity_subject_check" CHECK (length("issuer") BETWEEN 1 AND 500 AND length("subject") BETWEEN 1 AND 255);

-- Everyone but a class's students needs a way to sign in: an email, a phone number, or now an
-- account at the provider (a person from a national identity provider may have neither). A CHECK
-- cannot look at user_identity, so the rule becomes a constraint trigger of the same name, checked
-- at commit: the account and its first identity are written in one transaction.
ALTER TABLE "app_user" DROP CONSTRAINT "user_has_sign_in_identifier";

CREATE FUNCTION user_has_sign_in_way() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  uid uuid;
BEGIN
  -- Separate statements: each is planned only when it runs, against its own table's row type.
  IF TG_TABLE_NAME = 'app_user' THEN
    uid := NEW.id;
  ELSE
    uid := OLD.user_id;
  END IF;
  IF EXISTS (
    SELECT 1 FROM app_user u
     WHERE u.id = uid AND u.email IS NULL AND u.phone IS NULL AND u.kind <> 'STUDENT'
       AND NOT EXISTS (SELECT 1 FROM user_identity i WHERE i.user_id = u.id)
  ) THEN
    RAISE EXCEPTION 'account % has no way to sign in (email, phone or an identity provider account)', uid
      USING ERRCODE = 'check_violation', CONSTRAINT = 'user_has_sign_in_identifier', TABLE = 'app_user';
  END IF;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER "user_has_sign_in_identifier"
  AFTER INSERT OR UPDATE OF "email", "phone", "kind" ON "app_user"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION user_has_sign_in_way();

CREATE CONSTRAINT TRIGGER "user_identity_keeps_sign_in_way"
  AFTER DELETE OR UPDATE OF "user_id" ON "user_identity"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION user_has_sign_in_way();
