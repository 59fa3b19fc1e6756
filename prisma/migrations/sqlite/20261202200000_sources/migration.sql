-- AlterTable
ALTER TABLE "Instance" ADD COLUMN "sourceKey" TEXT;

-- CreateTable
CREATE TABLE "Source" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "lastSyncAt" DATETIME,
    "lagMs" INTEGER,
    "staleSince" DATETIME,
    "instances" INTEGER NOT NULL DEFAULT 0,
    "owner" TEXT,
    "ownerUntil" DATETIME,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Source_name_key" ON "Source"("name");

