-- AlterTable: an operator's objectives per service; null is the default
ALTER TABLE "Service" ADD COLUMN "errorRateObjective" REAL;
ALTER TABLE "Service" ADD COLUMN "p99ObjectiveMs" REAL;
ALTER TABLE "Service" ADD COLUMN "availabilityObjective" REAL;

-- CreateTable: a service's status from its signals, as the collector last computed it
CREATE TABLE "ServiceStatus" (
    "serviceId" TEXT NOT NULL PRIMARY KEY,
    "status" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "since" DATETIME NOT NULL,
    "reason" TEXT NOT NULL,
    "rps" REAL,
    "errorRate" REAL,
    "p50Ms" REAL,
    "p99Ms" REAL,
    "availability" REAL,
    "at" DATETIME NOT NULL,
    CONSTRAINT "ServiceStatus_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable: each change of a service's status
CREATE TABLE "ServiceStatusChange" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "service" TEXT NOT NULL,
    "from" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "ServiceStatus_rank_idx" ON "ServiceStatus"("rank");
CREATE INDEX "ServiceStatusChange_service_at_idx" ON "ServiceStatusChange"("service", "at");
CREATE INDEX "ServiceStatusChange_at_idx" ON "ServiceStatusChange"("at");
