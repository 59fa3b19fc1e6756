-- AlterTable
ALTER TABLE "HealthEvent" ADD COLUMN "detectionMs" INTEGER;

-- CreateTable
CREATE TABLE "FailoverEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "instanceId" TEXT,
    "reason" TEXT NOT NULL,
    "detectionMs" INTEGER,
    "takeover" TEXT NOT NULL DEFAULT '[]',
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ProbeRollup" (
    "instanceId" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "minute" DATETIME NOT NULL,
    "checks" INTEGER NOT NULL,
    "failures" INTEGER NOT NULL,
    "latencyAvgMs" REAL NOT NULL,
    "latencyMaxMs" REAL NOT NULL,

    PRIMARY KEY ("instanceId", "minute")
);

-- CreateTable
CREATE TABLE "CollectorLease" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "renewedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Webhook" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "url" TEXT NOT NULL,
    "kinds" TEXT NOT NULL DEFAULT '["failover","recovery","outage","outage-end"]',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "webhookId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "responseStatus" INTEGER,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" DATETIME,
    CONSTRAINT "WebhookDelivery_webhookId_fkey" FOREIGN KEY ("webhookId") REFERENCES "Webhook" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Instance" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "serviceId" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'builtin',
    "instanceId" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "weight" INTEGER NOT NULL DEFAULT 100,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "weightOverride" INTEGER,
    "enabledOverride" BOOLEAN,
    "tags" TEXT NOT NULL DEFAULT '[]',
    "metadata" TEXT NOT NULL DEFAULT '{}',
    "checkKind" TEXT NOT NULL DEFAULT 'ttl',
    "checkPath" TEXT,
    "checkIntervalMs" INTEGER NOT NULL DEFAULT 1000,
    "checkTimeoutMs" INTEGER NOT NULL DEFAULT 800,
    "checkTtlMs" INTEGER NOT NULL DEFAULT 3000,
    "checkRise" INTEGER NOT NULL DEFAULT 2,
    "checkFall" INTEGER NOT NULL DEFAULT 2,
    "deregisterAfterMs" INTEGER,
    "health" TEXT NOT NULL DEFAULT 'unknown',
    "healthOutput" TEXT,
    "healthChangedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastHeartbeatAt" DATETIME,
    "lastCheckAt" DATETIME,
    "lastSuccessAt" DATETIME,
    "flapping" BOOLEAN NOT NULL DEFAULT false,
    "modifyIndex" INTEGER NOT NULL DEFAULT 0,
    "registeredAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Instance_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Instance" ("checkIntervalMs", "checkKind", "checkPath", "checkTimeoutMs", "checkTtlMs", "deregisterAfterMs", "enabled", "enabledOverride", "health", "healthChangedAt", "healthOutput", "host", "id", "instanceId", "lastHeartbeatAt", "metadata", "modifyIndex", "port", "registeredAt", "serviceId", "source", "tags", "updatedAt", "weight", "weightOverride") SELECT "checkIntervalMs", "checkKind", "checkPath", "checkTimeoutMs", "checkTtlMs", "deregisterAfterMs", "enabled", "enabledOverride", "health", "healthChangedAt", "healthOutput", "host", "id", "instanceId", "lastHeartbeatAt", "metadata", "modifyIndex", "port", "registeredAt", "serviceId", "source", "tags", "updatedAt", "weight", "weightOverride" FROM "Instance";
DROP TABLE "Instance";
ALTER TABLE "new_Instance" RENAME TO "Instance";
CREATE INDEX "Instance_serviceId_idx" ON "Instance"("serviceId");
CREATE UNIQUE INDEX "Instance_source_instanceId_key" ON "Instance"("source", "instanceId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "FailoverEvent_service_at_idx" ON "FailoverEvent"("service", "at");

-- CreateIndex
CREATE INDEX "FailoverEvent_at_idx" ON "FailoverEvent"("at");

-- CreateIndex
CREATE INDEX "ProbeRollup_service_minute_idx" ON "ProbeRollup"("service", "minute");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_webhookId_eventId_key" ON "WebhookDelivery"("webhookId", "eventId");

-- CreateIndex
CREATE INDEX "HealthEvent_at_idx" ON "HealthEvent"("at");

