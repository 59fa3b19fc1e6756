-- CreateTable: rules on the golden signals, per service or per tag
CREATE TABLE "AlertRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "service" TEXT,
    "tag" TEXT,
    "kind" TEXT NOT NULL,
    "threshold" REAL NOT NULL,
    "windowMs" INTEGER NOT NULL,
    "forMs" INTEGER NOT NULL,
    "objective" REAL,
    "sloWindowMs" INTEGER,
    "severity" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable: each rule's alert per service while pending, firing or resolved-until-told
CREATE TABLE "AlertState" (
    "ruleId" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "activeAt" DATETIME NOT NULL,
    "changedAt" DATETIME NOT NULL,
    "value" REAL,
    "notifiedAt" DATETIME,

    PRIMARY KEY ("ruleId", "service"),
    CONSTRAINT "AlertState_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "AlertRule" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable: every change of an alert's state
CREATE TABLE "AlertEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL,
    "ruleId" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "from" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "value" REAL,
    "summary" TEXT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "AlertRule_name_key" ON "AlertRule"("name");
CREATE INDEX "AlertState_state_idx" ON "AlertState"("state");
CREATE INDEX "AlertState_service_idx" ON "AlertState"("service");
CREATE INDEX "AlertEvent_at_idx" ON "AlertEvent"("at");
CREATE INDEX "AlertEvent_service_at_idx" ON "AlertEvent"("service", "at");
