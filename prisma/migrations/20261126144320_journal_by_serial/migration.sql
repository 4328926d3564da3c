-- CreateIndex
CREATE INDEX "ZoneChange_zoneId_oldSerial_idx" ON "ZoneChange"("zoneId", "oldSerial");
