-- CreateTable: rules on the golden signals, per service or per tag
CREATE TABLE "AlertRule" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "service" TEXT,
    "tag" TEXT,
    "kind" TEXT NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "windowMs" INTEGER NOT NULL,
    "forMs" INTEGER NOT NULL,
    "objective" DOUBLE PRECISION,
    "sloWindowMs" INTEGER,
    "severity" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AlertRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable: each rule's alert per service while pending, firing or resolved-until-told
CREATE TABLE "AlertState" (
    "ruleId" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "activeAt" TIMESTAMP(3) NOT NULL,
    "changedAt" TIMESTAMP(3) NOT NULL,
    "value" DOUBLE PRECISION,
    "notifiedAt" TIMESTAMP(3),

    CONSTRAINT "AlertState_pkey" PRIMARY KEY ("ruleId", "service")
);

-- CreateTable: every change of an alert's state
CREATE TABLE "AlertEvent" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "ruleId" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "from" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "value" DOUBLE PRECISION,
    "summary" TEXT NOT NULL,

    CONSTRAINT "AlertEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AlertRule_name_key" ON "AlertRule"("name");
CREATE INDEX "AlertState_state_idx" ON "AlertState"("state");
CREATE INDEX "AlertState_service_idx" ON "AlertState"("service");
CREATE INDEX "AlertEvent_at_idx" ON "AlertEvent"("at");
CREATE INDEX "AlertEvent_service_at_idx" ON "AlertEvent"("service", "at");

-- AddForeignKey
ALTER TABLE "AlertState" ADD CONSTRAINT "AlertState_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "AlertRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;
