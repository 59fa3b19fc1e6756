-- AlterTable: what a source left out, as its collector last counted it, and the latest few reasons
ALTER TABLE "Source" ADD COLUMN "skipped" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Source" ADD COLUMN "skipReasons" TEXT;
