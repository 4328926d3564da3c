-- CreateIndex
CREATE INDEX "ZoneChange_createdAt_idx" ON "ZoneChange"("createdAt");
