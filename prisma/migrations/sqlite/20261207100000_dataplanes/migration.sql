-- CreateTable: proxies Meshdeck drives from the catalog (HAProxy through its Runtime API)
CREATE TABLE "DataPlane" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "backends" TEXT,
    "healthMode" TEXT NOT NULL DEFAULT 'meshdeck',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "error" TEXT,
    "lastSeenAt" DATETIME,
    "staleSince" DATETIME,
    "drivenBackends" TEXT,
    "owner" TEXT,
    "ownerUntil" DATETIME,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "DataPlane_name_key" ON "DataPlane"("name");
