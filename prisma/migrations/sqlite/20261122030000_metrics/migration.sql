-- AlterTable
ALTER TABLE "Instance" ADD COLUMN "lastScrapeAt" DATETIME;
ALTER TABLE "Instance" ADD COLUMN "metricsPath" TEXT DEFAULT '/metrics';
ALTER TABLE "Instance" ADD COLUMN "metricsPort" INTEGER;
ALTER TABLE "Instance" ADD COLUMN "scrapeError" TEXT;
ALTER TABLE "Instance" ADD COLUMN "scrapeMs" INTEGER;

-- CreateTable
CREATE TABLE "MetricRollup" (
    "resolution" INTEGER NOT NULL,
    "scope" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "instanceId" TEXT NOT NULL DEFAULT '',
    "peer" TEXT NOT NULL DEFAULT '',
    "at" DATETIME NOT NULL,
    "requests" REAL NOT NULL,
    "errors" REAL NOT NULL,
    "p50Ms" REAL,
    "p95Ms" REAL,
    "p99Ms" REAL,
    "buckets" TEXT,

    PRIMARY KEY ("resolution", "scope", "service", "instanceId", "peer", "at")
);

-- CreateIndex
CREATE INDEX "MetricRollup_resolution_scope_peer_at_idx" ON "MetricRollup"("resolution", "scope", "peer", "at");

-- CreateIndex
CREATE INDEX "MetricRollup_resolution_at_idx" ON "MetricRollup"("resolution", "at");

