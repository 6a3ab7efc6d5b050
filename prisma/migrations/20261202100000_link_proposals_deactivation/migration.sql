-- Roster links by email become proposals that the account's owner (or an admin) confirms, and
-- accounts can be deactivated (docs/decisions/013).
-- CreateEnum
CREATE TYPE "LinkProposalStatus" AS ENUM ('PENDING', 'DECLINED');

-- AlterTable
ALTER TABLE "app_user" ADD COLUMN     "deactivated_at" TIMESTAMPTZ(3),
ADD COLUMN     "deactivated_by_id" UUID;

-- CreateTable
CREATE TABLE "staff_link_proposal" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "staff_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "proposed_by_id" UUID,
    "status" "LinkProposalStatus" NOT NULL DEFAULT 'PENDING',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_at" TIMESTAMPTZ(3),

    CONSTRAINT "staff_link_proposal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "staff_link_proposal_user_id_status_idx" ON "staff_link_proposal"("user_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "staff_link_proposal_staff_id_user_id_key" ON "staff_link_proposal"("staff_id", "user_id");

-- AddForeignKey
ALTER TABLE "app_user" ADD CONSTRAINT "app_user_deactivated_by_id_fkey" FOREIGN KEY ("deactivated_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "staff_link_proposal" ADD CONSTRAINT "staff_link_proposal_staff_id_fkey" FOREIGN KEY ("staff_id") REFERENCES "staff_record"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "staff_link_proposal" ADD CONSTRAINT "staff_link_proposal_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "staff_link_proposal" ADD CONSTRAINT "staff_link_proposal_proposed_by_id_fkey" FOREIGN KEY ("proposed_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- A decision is dated exactly when it is one; the deactivating person is kept only on a deactivated account.
ALTER TABLE "staff_link_proposal" ADD CONSTRAINT "staff_link_proposal_decided_check" CHECK (("status" = 'PENDING') = ("decided_at" IS NULL));
ALTER TABLE "app_user" ADD CONSTRAINT "app_user_deactivated_by_check" CHECK ("deactivated_by_id" IS NULL OR "deactivated_at" IS NOT NULL);
