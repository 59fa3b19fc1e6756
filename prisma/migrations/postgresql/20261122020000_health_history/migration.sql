-- AlterTable
ALTER TABLE "Instance" ADD COLUMN     "checkFall" INTEGER NOT NULL DEFAULT 2,
ADD COLUMN     "checkRise" INTEGER NOT NULL DEFAULT 2,
ADD COLUMN     "flapping" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "lastCheckAt" TIMESTAMP(3),
ADD COLUMN     "lastSuccessAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "HealthEvent" ADD COLUMN     "detectionMs" INTEGER;

-- CreateTable
CREATE TABLE "FailoverEvent" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "instanceId" TEXT,
    "reason" TEXT NOT NULL,
    "detectionMs" INTEGER,
    "takeover" TEXT NOT NULL DEFAULT '[]',
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FailoverEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProbeRollup" (
    "instanceId" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "minute" TIMESTAMP(3) NOT NULL,
    "checks" INTEGER NOT NULL,
    "failures" INTEGER NOT NULL,
    "latencyAvgMs" DOUBLE PRECISION NOT NULL,
    "latencyMaxMs" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "ProbeRollup_pkey" PRIMARY KEY ("instanceId","minute")
);

-- CreateTable
CREATE TABLE "CollectorLease" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "renewedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CollectorLease_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Webhook" (
    "id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "kinds" TEXT NOT NULL DEFAULT '["failover","recovery","outage","outage-end"]',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Webhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "responseStatus" INTEGER,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

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

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_webhookId_fkey" FOREIGN KEY ("webhookId") REFERENCES "Webhook"("id") ON DELETE CASCADE ON UPDATE CASCADE;

