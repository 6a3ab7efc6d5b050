-- CreateTable
CREATE TABLE "upload_slot" (
    "user_id" UUID NOT NULL,
    "token" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "upload_slot_pkey" PRIMARY KEY ("user_id")
);

-- AddForeignKey
ALTER TABLE "upload_slot" ADD CONSTRAINT "upload_slot_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

