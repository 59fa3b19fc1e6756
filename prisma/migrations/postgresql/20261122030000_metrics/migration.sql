-- AlterTable
ALTER TABLE "Instance" ADD COLUMN     "lastScrapeAt" TIMESTAMP(3),
ADD COLUMN     "metricsPath" TEXT DEFAULT '/metrics',
ADD COLUMN     "metricsPort" INTEGER,
ADD COLUMN     "scrapeError" TEXT,
ADD COLUMN     "scrapeMs" INTEGER;

-- CreateTable
CREATE TABLE "MetricRollup" (
    "resolution" INTEGER NOT NULL,
    "scope" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "instanceId" TEXT NOT NULL DEFAULT '',
    "peer" TEXT NOT NULL DEFAULT '',
    "at" TIMESTAMP(3) NOT NULL,
    "requests" DOUBLE PRECISION NOT NULL,
    "errors" DOUBLE PRECISION NOT NULL,
    "p50Ms" DOUBLE PRECISION,
    "p95Ms" DOUBLE PRECISION,
    "p99Ms" DOUBLE PRECISION,
    "buckets" TEXT,

    CONSTRAINT "MetricRollup_pkey" PRIMARY KEY ("resolution","scope","service","instanceId","peer","at")
);

-- CreateIndex
CREATE INDEX "MetricRollup_resolution_scope_peer_at_idx" ON "MetricRollup"("resolution", "scope", "peer", "at");

-- CreateIndex
CREATE INDEX "MetricRollup_resolution_at_idx" ON "MetricRollup"("resolution", "at");

