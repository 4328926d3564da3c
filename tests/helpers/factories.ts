// Small factories: each test creates the tenants and zones it needs, with unique names, so
// tests never share mutable fixtures and can run in parallel against one database.
import { randomBytes } from "node:crypto";
import { db } from "../../lib/db/client.ts";
import { createHostedDomain } from "../../lib/domains.ts";
import { applyChangeSet, type Actor } from "../../lib/zone/change-set.ts";
import type { RecordInput } from "../../lib/records/record-input.ts";

export const TEST_ACTOR: Actor = { label: "test", source: "system" };

export function uniqueLabel(prefix = "t"): string {
  return `${prefix}${randomBytes(5).toString("hex")}`;
}

export async function createTenant(opts: { status?: "active" | "suspended" } = {}) {
  const slug = uniqueLabel("tenant-");
  return db().tenant.create({ data: { slug, name: slug, status: opts.status ?? "active" } });
}

/** A hosted zone "<unique>.test" with our NS records and, optionally, more records. */
export async function createZone(records: RecordInput[] = [], opts: { tenantId?: string; name?: string } = {}) {
  const tenantId = opts.tenantId ?? (await createTenant()).id;
  const name = opts.name ?? `${uniqueLabel("z")}.test`;
  const { zoneId, change } = await createHostedDomain({ tenantId, name }, TEST_ACTOR);
  let serial = change.serial;
  if (records.length) serial = (await applyChangeSet(zoneId, { add: records }, TEST_ACTOR)).serial;
  return { zoneId, name, tenantId, serial };
}
