-- CreateTable: proxies Meshdeck drives from the catalog (HAProxy through its Runtime API)
CREATE TABLE "DataPlane" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "backends" TEXT,
    "healthMode" TEXT NOT NULL DEFAULT 'meshdeck',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "error" TEXT,
    "lastSeenAt" TIMESTAMP(3),
    "staleSince" TIMESTAMP(3),
    "drivenBackends" TEXT,
    "owner" TEXT,
    "ownerUntil" TIMESTAMP(3),
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DataPlane_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DataPlane_name_key" ON "DataPlane"("name");
