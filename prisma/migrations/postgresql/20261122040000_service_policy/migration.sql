-- AlterTable
ALTER TABLE "Service" ADD COLUMN     "hashHeader" TEXT,
ADD COLUMN     "policy" TEXT NOT NULL DEFAULT 'weighted-round-robin',
ADD COLUMN     "protectionThreshold" DOUBLE PRECISION NOT NULL DEFAULT 0;

