-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN "service" TEXT;

-- AlterTable: a column added, not the table redefined, which would cascade-delete its instances
ALTER TABLE "Service" ADD COLUMN "governanceVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "InstanceOverride" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "source" TEXT NOT NULL DEFAULT 'builtin',
    "instanceId" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "weight" INTEGER,
    "enabled" BOOLEAN,
    "version" INTEGER NOT NULL DEFAULT 1,
    "expiresAt" DATETIME,
    "revert" TEXT,
    "reason" TEXT,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "InstanceOverride_expiresAt_idx" ON "InstanceOverride"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "InstanceOverride_source_instanceId_key" ON "InstanceOverride"("source", "instanceId");

-- CreateIndex
CREATE INDEX "AuditEvent_service_at_idx" ON "AuditEvent"("service", "at");
