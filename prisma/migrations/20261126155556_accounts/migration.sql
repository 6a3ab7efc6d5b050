-- AlterTable
ALTER TABLE "app_user" ADD COLUMN     "search_text" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "sort_key" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "trusted_device" (
    "token_hash" BYTEA NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trusted_device_pkey" PRIMARY KEY ("token_hash")
);

-- CreateIndex
CREATE INDEX "trusted_device_user_id_idx" ON "trusted_device"("user_id");

-- CreateIndex
CREATE INDEX "app_user_sort_key_idx" ON "app_user"("sort_key");

-- AddForeignKey
ALTER TABLE "trusted_device" ADD CONSTRAINT "trusted_device_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The sort key is compared byte by byte (app/utils/vietnamese-sort.ts): the "C" collation gives
-- the same order on every server, whatever its locale (Prisma has no syntax for this).
ALTER TABLE "app_user" ALTER COLUMN "sort_key" TYPE TEXT COLLATE "C";
