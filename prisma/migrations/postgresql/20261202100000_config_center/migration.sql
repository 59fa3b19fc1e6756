-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "readsSecrets" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "ConfigNamespace" (
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConfigNamespace_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "ConfigItem" (
    "id" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "group" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "secret" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 0,
    "latest" INTEGER NOT NULL DEFAULT 0,
    "seq" INTEGER NOT NULL DEFAULT 0,
    "deletedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConfigItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConfigVersion" (
    "id" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "fromVersion" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConfigVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConfigGray" (
    "id" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "instanceIds" TEXT NOT NULL DEFAULT '[]',
    "tags" TEXT NOT NULL DEFAULT '[]',
    "state" TEXT NOT NULL,
    "startedBy" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedBy" TEXT,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "ConfigGray_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConfigListener" (
    "namespace" TEXT NOT NULL,
    "group" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "instanceId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "address" TEXT,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConfigListener_pkey" PRIMARY KEY ("namespace","group","key","instanceId")
);

-- CreateIndex
CREATE INDEX "ConfigItem_seq_idx" ON "ConfigItem"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "ConfigItem_namespace_group_key_key" ON "ConfigItem"("namespace", "group", "key");

-- CreateIndex
CREATE UNIQUE INDEX "ConfigVersion_itemId_version_key" ON "ConfigVersion"("itemId", "version");

-- CreateIndex
CREATE INDEX "ConfigGray_itemId_state_idx" ON "ConfigGray"("itemId", "state");

-- CreateIndex
CREATE INDEX "ConfigListener_lastSeenAt_idx" ON "ConfigListener"("lastSeenAt");

-- AddForeignKey
ALTER TABLE "ConfigVersion" ADD CONSTRAINT "ConfigVersion_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "ConfigItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConfigGray" ADD CONSTRAINT "ConfigGray_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "ConfigItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The config change sequence watchers wait on, and the namespaces a new install starts with
INSERT INTO "Counter" ("name", "value") VALUES ('config', 0);
INSERT INTO "ConfigNamespace" ("name", "description") VALUES ('dev', 'development'), ('staging', 'staging'), ('prod', 'production');
