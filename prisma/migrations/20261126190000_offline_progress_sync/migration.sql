-- CreateTable
CREATE TABLE "offline_progress_sync" (
    "client_id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "lesson_id" UUID NOT NULL,
    "done_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "offline_progress_sync_pkey" PRIMARY KEY ("client_id")
);

-- CreateIndex
CREATE INDEX "offline_progress_sync_user_id_idx" ON "offline_progress_sync"("user_id");

-- AddForeignKey
ALTER TABLE "offline_progress_sync" ADD CONSTRAINT "offline_progress_sync_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offline_progress_sync" ADD CONSTRAINT "offline_progress_sync_lesson_id_fkey" FOREIGN KEY ("lesson_id") REFERENCES "lesson"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Checks (by hand: Prisma cannot express them)
ALTER TABLE "offline_progress_sync"
  ADD CONSTRAINT "offline_progress_sync_client_id_format" CHECK ("client_id" ~ '^[A-Za-z0-9_-]{16,64}$');
