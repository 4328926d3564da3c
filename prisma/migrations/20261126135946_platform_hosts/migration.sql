-- AlterTable
ALTER TABLE "RegistryHost" ADD COLUMN     "platform" BOOLEAN NOT NULL DEFAULT false;

-- Hosts without a domain were the platform's own nameservers.
UPDATE "RegistryHost" SET "platform" = true WHERE "domainId" IS NULL;
