-- CreateEnum
CREATE TYPE "RenewalMode" AS ENUM ('QUIZ', 'COURSE');

-- AlterTable
ALTER TABLE "course" ADD COLUMN     "renewal" "RenewalMode" NOT NULL DEFAULT 'QUIZ';

-- CreateTable
CREATE TABLE "certificate_counter" (
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "certificate_counter_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "certificate_lookup" (
    "id" BIGSERIAL NOT NULL,
    "ip" TEXT NOT NULL,
    "found" BOOLEAN NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "certificate_lookup_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "certificate_lookup_ip_at_idx" ON "certificate_lookup"("ip", "at");


-- Hand-written (Prisma cannot express CHECK constraints).
ALTER TABLE "certificate_counter"
  ADD CONSTRAINT "certificate_counter_year_range" CHECK ("year" BETWEEN 2000 AND 9999),
  ADD CONSTRAINT "certificate_counter_last_positive" CHECK ("last" >= 1);
