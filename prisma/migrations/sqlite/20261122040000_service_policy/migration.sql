-- AlterTable
ALTER TABLE "Service" ADD COLUMN "policy" TEXT NOT NULL DEFAULT 'weighted-round-robin';
ALTER TABLE "Service" ADD COLUMN "hashHeader" TEXT;
ALTER TABLE "Service" ADD COLUMN "protectionThreshold" REAL NOT NULL DEFAULT 0;
