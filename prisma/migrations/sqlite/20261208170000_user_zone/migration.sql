-- AlterTable: the zone each user reads times in: local (the browser's) or utc, kept across browsers
ALTER TABLE "User" ADD COLUMN "zone" TEXT NOT NULL DEFAULT 'local';
