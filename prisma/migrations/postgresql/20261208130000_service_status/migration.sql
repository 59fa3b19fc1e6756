-- AlterTable: an operator's objectives per service; null is the default
ALTER TABLE "Service" ADD COLUMN "errorRateObjective" DOUBLE PRECISION;
ALTER TABLE "Service" ADD COLUMN "p99ObjectiveMs" DOUBLE PRECISION;
ALTER TABLE "Service" ADD COLUMN "availabilityObjective" DOUBLE PRECISION;

-- CreateTable: a service's status from its signals, as the collector last computed it
CREATE TABLE "ServiceStatus" (
    "serviceId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "rps" DOUBLE PRECISION,
    "errorRate" DOUBLE PRECISION,
    "p50Ms" DOUBLE PRECISION,
    "p99Ms" DOUBLE PRECISION,
    "availability" DOUBLE PRECISION,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ServiceStatus_pkey" PRIMARY KEY ("serviceId")
);

-- CreateTable: each change of a service's status
CREATE TABLE "ServiceStatusChange" (
    "id" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "from" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ServiceStatusChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ServiceStatus_rank_idx" ON "ServiceStatus"("rank");
CREATE INDEX "ServiceStatusChange_service_at_idx" ON "ServiceStatusChange"("service", "at");
CREATE INDEX "ServiceStatusChange_at_idx" ON "ServiceStatusChange"("at");

-- AddForeignKey
ALTER TABLE "ServiceStatus" ADD CONSTRAINT "ServiceStatus_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;
