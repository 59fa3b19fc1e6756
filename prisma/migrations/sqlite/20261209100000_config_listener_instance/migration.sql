-- CreateIndex: an instance's page reads the config items it watches by instanceId
CREATE INDEX "ConfigListener_instanceId_idx" ON "ConfigListener"("instanceId");
