-- AlterTable
ALTER TABLE "Instance" ADD COLUMN "deregisterAfterMs" INTEGER;

