// Registry test data: each test file runs its own TLD (never "test": other files host *.test
// zones in the same database), and each test registers the domains it needs.
import { db } from "../../lib/db/client.ts";
import { addTld } from "../../lib/registry/tlds.ts";
import { registerDomainFor, switchNameservers } from "../../lib/registrar/domains.ts";
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

/** A tenant fixture with a domain registered in `tld` (for the authorization matrices). */
export async function withRegistration<F extends { tenantId: string; slug: string }>(f: F, tld: string): Promise<F & { registered: string }> {
  return { ...f, registered: (await registerFresh(tld, { tenantId: f.tenantId })).name };
}

/** A new registration of the tenant with a host inside it that no delegation uses (so it can go). */
export async function registrationWithUnusedHost(tld: string, f: { tenantId: string; slug: string }) {
  const { name } = await registerFresh(tld, { tenantId: f.tenantId });
  const host = `ns1.${name}`;
  await switchNameservers(name, { ours: false, hosts: [{ name: host, addresses: ["192.0.2.53"] }, { name: "ns.other.net" }] }, { force: true, actor: TEST_ACTOR });
  await switchNameservers(name, { ours: true }, { force: true, actor: TEST_ACTOR });
  return { ref: { tenant: f.slug, domain: name }, host };
}
