-- AlterTable
ALTER TABLE "Instance" ADD COLUMN "protocol" TEXT NOT NULL DEFAULT 'meshdeck';
