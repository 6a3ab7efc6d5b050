-- The version of the content mirrored into the database (docs/decisions/025, "content reload"):
-- one row (id = 1), bumped by the transaction that mirrors a changed content tree.
-- CreateTable
CREATE TABLE "content_version" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" INTEGER NOT NULL,
    "content_hash" TEXT NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "changed_by_id" UUID,

    CONSTRAINT "content_version_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "content_version_one_row" CHECK ("id" = 1),
    CONSTRAINT "content_version_positive" CHECK ("version" > 0)
);
