// Test data for browser tests, made through lib/ like the product makes it.
import { randomBytes } from "node:crypto";
import { db } from "../../lib/db/client.ts";
import { createHostedDomain } from "../../lib/domains.ts";
import { applyChangeSet, type Actor } from "../../lib/zone/change-set.ts";
import type { RecordInput } from "../../lib/records/record-input.ts";
import { registerDomainFor } from "../../lib/registrar/domains.ts";
import { REGISTRY_TLD } from "./seed.ts";

const ACTOR: Actor = { label: "e2e-setup", source: "system" };

/** A zone "<unique>.test" of tenant `slug`, with our NS records and `records`. */
export async function createZone(slug: string, records: RecordInput[] = []) {
  const tenant = await db().tenant.findUniqueOrThrow({ where: { slug } });
  const name = `z${randomBytes(4).toString("hex")}.test`;
  const { zoneId, change } = await createHostedDomain({ tenantId: tenant.id, name }, ACTOR);
  const serial = records.length ? (await applyChangeSet(zoneId, { add: records }, ACTOR)).serial : change.serial;
  return { name, zoneId, serial };
}

export async function zoneSerial(zoneId: string): Promise<number> {
  return Number((await db().zone.findUniqueOrThrow({ where: { id: zoneId } })).serial);
}

/** A domain registered for tenant `slug` in the browser tests' registry TLD, on our nameservers. */
export async function registerDomain(slug: string, years = 1) {
  const tenant = await db().tenant.findUniqueOrThrow({ where: { slug } });
  const name = `r${randomBytes(4).toString("hex")}.${REGISTRY_TLD}`;
  const result = await registerDomainFor({ tenantId: tenant.id, name, years }, ACTOR);
  return { name, expiresAt: result.info.expiresAt };
}
