-- AlterTable
ALTER TABLE "Instance" ADD COLUMN     "sourceKey" TEXT;

-- CreateTable
CREATE TABLE "Source" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "convention" TEXT NOT NULL,
    "endpoints" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "username" TEXT,
    "password" TEXT,
    "tls" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "error" TEXT,
    "lastSyncAt" TIMESTAMP(3),
    "lagMs" INTEGER,
    "staleSince" TIMESTAMP(3),
    "instances" INTEGER NOT NULL DEFAULT 0,
    "owner" TEXT,
    "ownerUntil" TIMESTAMP(3),
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Source_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Source_name_key" ON "Source"("name");

