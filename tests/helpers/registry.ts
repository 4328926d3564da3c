// Registry test data: each test file runs its own TLD (never "test": other files host *.test
// zones in the same database), and each test registers the domains it needs.
import { db } from "../../lib/db/client.ts";
import { addTld } from "../../lib/registry/tlds.ts";
import { registerDomainFor } from "../../lib/registrar/domains.ts";
import { createTenant, TEST_ACTOR, uniqueLabel } from "./factories.ts";

/** A new registry TLD with a unique name. */
export async function createTld(opts: { delegationTtl?: number } = {}): Promise<string> {
  const tld = uniqueLabel("tld");
  await addTld(tld, opts);
  return tld;
}

/** Registers a fresh name under `tld` for a (new) tenant. */
export async function registerFresh(tld: string, opts: { tenantId?: string; years?: number; now?: Date; label?: string } = {}) {
  const tenantId = opts.tenantId ?? (await createTenant()).id;
  const name = `${opts.label ?? uniqueLabel("d")}.${tld}`;
  const result = await registerDomainFor({ tenantId, name, years: opts.years ?? 1 }, TEST_ACTOR, db(), opts.now);
  return { name, tenantId, ...result };
}

/** The delegation records of the parent zone at `name`, as "TYPE content" lines, sorted. */
export async function parentRecords(tld: string, name: string): Promise<string[]> {
  const zone = await db().zone.findUniqueOrThrow({ where: { name: tld } });
  const records = await db().record.findMany({ where: { zoneId: zone.id, name } });
  return records.map((r) => `${r.type} ${r.content}`).sort();
}

export async function parentSerial(tld: string): Promise<number> {
  return Number((await db().zone.findUniqueOrThrow({ where: { name: tld } })).serial);
}
