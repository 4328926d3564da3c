-- CreateEnum
CREATE TYPE "RegistrationStatus" AS ENUM ('active', 'grace', 'redemption');

-- AlterEnum
ALTER TYPE "DelegationMode" ADD VALUE 'none';

-- AlterTable
ALTER TABLE "Domain" DROP COLUMN "autoRenew",
DROP COLUMN "expiresAt",
DROP COLUMN "registeredAt",
DROP COLUMN "status";

-- AlterTable
ALTER TABLE "Delegation" ADD COLUMN     "hostedUntil" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "DelegationNameserver" DROP COLUMN "addresses";

-- AlterTable
ALTER TABLE "ZoneChange" ADD COLUMN     "cacheSeconds" INTEGER NOT NULL DEFAULT 0;

-- DropEnum
DROP TYPE "DomainStatus";

-- CreateTable
CREATE TABLE "RegistryTld" (
    "name" TEXT NOT NULL,
    "zoneId" TEXT NOT NULL,
    "delegationTtl" INTEGER NOT NULL DEFAULT 3600,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RegistryTld_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "Registration" (
    "id" TEXT NOT NULL,
    "domainId" TEXT NOT NULL,
    "tld" TEXT NOT NULL,
    "status" "RegistrationStatus" NOT NULL DEFAULT 'active',
    "registeredAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "releaseAt" TIMESTAMP(3),
    "autoRenew" BOOLEAN NOT NULL DEFAULT true,
    "transferLock" BOOLEAN NOT NULL DEFAULT true,
    "authCodeCipher" TEXT NOT NULL,
    "ds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Registration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RegistryHost" (
    "name" TEXT NOT NULL,
    "tld" TEXT NOT NULL,
    "ipv4" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "ipv6" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "domainId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RegistryHost_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "DelegationCheck" (
    "domainId" TEXT NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL,
    "usesOurs" BOOLEAN,
    "parentNs" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "result" JSONB NOT NULL,

    CONSTRAINT "DelegationCheck_pkey" PRIMARY KEY ("domainId")
);

-- CreateIndex
CREATE UNIQUE INDEX "RegistryTld_zoneId_key" ON "RegistryTld"("zoneId");

-- CreateIndex
CREATE UNIQUE INDEX "Registration_domainId_key" ON "Registration"("domainId");

-- CreateIndex
CREATE INDEX "Registration_status_expiresAt_idx" ON "Registration"("status", "expiresAt");

-- CreateIndex
CREATE INDEX "RegistryHost_domainId_idx" ON "RegistryHost"("domainId");

-- CreateIndex
CREATE INDEX "DelegationNameserver_hostname_idx" ON "DelegationNameserver"("hostname");

-- AddForeignKey
ALTER TABLE "RegistryTld" ADD CONSTRAINT "RegistryTld_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Registration" ADD CONSTRAINT "Registration_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "Domain"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Registration" ADD CONSTRAINT "Registration_tld_fkey" FOREIGN KEY ("tld") REFERENCES "RegistryTld"("name") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RegistryHost" ADD CONSTRAINT "RegistryHost_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "Domain"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RegistryHost" ADD CONSTRAINT "RegistryHost_tld_fkey" FOREIGN KEY ("tld") REFERENCES "RegistryTld"("name") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DelegationCheck" ADD CONSTRAINT "DelegationCheck_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "Domain"("id") ON DELETE CASCADE ON UPDATE CASCADE;
