-- CreateTable: related traffic events grouped, a recurring failure of one instance told once
CREATE TABLE "Incident" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "instanceId" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "ending" TEXT,
    "count" INTEGER NOT NULL DEFAULT 1,
    "times" TEXT NOT NULL DEFAULT '[]',
    "reason" TEXT NOT NULL,

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable: notifications held for a service or an instance, with a reason
CREATE TABLE "Silence" (
    "id" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "instanceId" TEXT,
    "reason" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "createdBy" TEXT NOT NULL,
    "liftedAt" TIMESTAMP(3),
    "liftedBy" TEXT,

    CONSTRAINT "Silence_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Incident_key_at_idx" ON "Incident"("key", "at");
CREATE INDEX "Incident_service_at_idx" ON "Incident"("service", "at");
CREATE INDEX "Incident_at_idx" ON "Incident"("at");
CREATE INDEX "Silence_service_endsAt_idx" ON "Silence"("service", "endsAt");
CREATE INDEX "Silence_endsAt_idx" ON "Silence"("endsAt");
