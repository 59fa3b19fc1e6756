-- CreateTable: related traffic events grouped, a recurring failure of one instance told once
CREATE TABLE "Incident" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "key" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "instanceId" TEXT,
    "startedAt" DATETIME NOT NULL,
    "at" DATETIME NOT NULL,
    "endedAt" DATETIME,
    "ending" TEXT,
    "count" INTEGER NOT NULL DEFAULT 1,
    "times" TEXT NOT NULL DEFAULT '[]',
    "reason" TEXT NOT NULL
);

-- CreateTable: notifications held for a service or an instance, with a reason
CREATE TABLE "Silence" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "service" TEXT NOT NULL,
    "instanceId" TEXT,
    "reason" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endsAt" DATETIME NOT NULL,
    "createdBy" TEXT NOT NULL,
    "liftedAt" DATETIME,
    "liftedBy" TEXT
);

-- CreateIndex
CREATE INDEX "Incident_key_at_idx" ON "Incident"("key", "at");
CREATE INDEX "Incident_service_at_idx" ON "Incident"("service", "at");
CREATE INDEX "Incident_at_idx" ON "Incident"("at");
CREATE INDEX "Silence_service_endsAt_idx" ON "Silence"("service", "endsAt");
CREATE INDEX "Silence_endsAt_idx" ON "Silence"("endsAt");
