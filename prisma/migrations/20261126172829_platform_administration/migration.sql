-- CreateEnum
CREATE TYPE "SuspensionKind" AS ENUM ('billing', 'abuse');

-- DropForeignKey
ALTER TABLE "AuditLog" DROP CONSTRAINT "AuditLog_tenantId_fkey";

-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "quotaChangesPerMinute" INTEGER,
ADD COLUMN     "quotaDomains" INTEGER,
ADD COLUMN     "quotaRecordsPerZone" INTEGER,
ADD COLUMN     "suspendedAt" TIMESTAMP(3),
ADD COLUMN     "suspensionKind" "SuspensionKind",
ADD COLUMN     "suspensionReason" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "disabledAt" TIMESTAMP(3),
ADD COLUMN     "lastSignInAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "AuditLog" ADD COLUMN     "clientAddress" TEXT;

-- CreateTable
CREATE TABLE "PasswordReset" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdBy" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PasswordReset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QueryStat" (
    "minute" TIMESTAMP(3) NOT NULL,
    "nameserverId" TEXT NOT NULL,
    "zone" TEXT NOT NULL,
    "qtype" TEXT NOT NULL,
    "rcode" TEXT NOT NULL,
    "transport" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "QueryStat_pkey" PRIMARY KEY ("minute","nameserverId","zone","qtype","rcode","transport")
);

-- CreateTable
CREATE TABLE "QueryNameStat" (
    "minute" TIMESTAMP(3) NOT NULL,
    "nameserverId" TEXT NOT NULL,
    "zone" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "QueryNameStat_pkey" PRIMARY KEY ("minute","nameserverId","zone","name")
);

-- CreateIndex
CREATE UNIQUE INDEX "PasswordReset_tokenHash_key" ON "PasswordReset"("tokenHash");

-- CreateIndex
CREATE INDEX "PasswordReset_userId_idx" ON "PasswordReset"("userId");

-- CreateIndex
CREATE INDEX "QueryStat_zone_minute_idx" ON "QueryStat"("zone", "minute");

-- CreateIndex
CREATE INDEX "QueryNameStat_zone_minute_idx" ON "QueryNameStat"("zone", "minute");

-- CreateIndex
CREATE INDEX "AuditLog_createdAt_idx" ON "AuditLog"("createdAt");

-- CreateIndex
CREATE INDEX "AuditLog_actorId_createdAt_idx" ON "AuditLog"("actorId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditLog_action_createdAt_idx" ON "AuditLog"("action", "createdAt");

-- AddForeignKey
ALTER TABLE "PasswordReset" ADD CONSTRAINT "PasswordReset_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Tenants suspended before suspensions had a kind were suspended for abuse (their zones were
-- not served).
UPDATE "Tenant" SET "suspensionKind" = 'abuse', "suspendedAt" = now() WHERE "status" = 'suspended';

-- The audit log is append-only (docs/decisions/013-platform-administration.md): the database
-- refuses to change or remove an entry, whatever code asks.
-- The migration engine splits statements at every semicolon, even in a quoted body: the body's
-- one semicolon is written as the escape \x3B.
CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql
  AS E'BEGIN RAISE EXCEPTION ''the audit log is append-only: % on "AuditLog" refused'', TG_OP\x3B END';
CREATE TRIGGER "AuditLog_append_only" BEFORE UPDATE OR DELETE ON "AuditLog"
  FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();
CREATE TRIGGER "AuditLog_no_truncate" BEFORE TRUNCATE ON "AuditLog"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"();
