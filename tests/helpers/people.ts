// People for authorization tests: a tenant with a zone and a member of each role, a member of
// another tenant, and a platform admin. Each call makes new ones (no shared mutable fixtures).
import { db } from "../../lib/db/client.ts";
import type { Principal } from "../../lib/permissions.ts";
import { applyChangeSet } from "../../lib/zone/change-set.ts";
import { createTenant, createZone, TEST_ACTOR, uniqueLabel } from "./factories.ts";

export type Role = "owner" | "admin" | "editor" | "viewer";
export const ROLES: Role[] = ["owner", "admin", "editor", "viewer"];
export type Who = Role | "outsider" | "platform";
export const EVERYONE: Who[] = [...ROLES, "outsider", "platform"];

/** What each role may do: the contract, written out (not read from lib/permissions.ts). */
export const MAY: Record<Role, string[]> = {
  viewer: ["zone:read", "member:read"],
  editor: ["zone:read", "member:read", "zone:edit"],
  admin: ["zone:read", "member:read", "zone:edit", "domain:manage", "member:manage", "audit:read"],
  owner: ["zone:read", "member:read", "zone:edit", "domain:manage", "member:manage", "owner:manage", "audit:read"],
};

export interface TenantFixture {
  slug: string;
  tenantId: string;
  zone: string;
  zoneId: string;
  people: Record<Who, Principal>;
}

export async function person(opts: { platform?: boolean } = {}): Promise<Principal> {
  const email = `${uniqueLabel("u")}@example.test`;
  const user = await db().user.create({ data: { email, isPlatformAdmin: opts.platform ?? false } });
  return { userId: user.id, email, isPlatformAdmin: user.isPlatformAdmin };
}

export async function member(tenantId: string, role: Role): Promise<{ principal: Principal; membershipId: string }> {
  const principal = await person();
  const m = await db().membership.create({ data: { userId: principal.userId, tenantId, role } });
  return { principal, membershipId: m.id };
}

/** A tenant with a zone (www A 192.0.2.1) and one person of each kind. */
export async function tenantWithEveryone(): Promise<TenantFixture> {
  const tenant = await createTenant();
  const zone = await createZone([{ name: "www", type: "A", ttl: 300, content: "192.0.2.1" }], { tenantId: tenant.id });
  const people = {} as Record<Who, Principal>;
  for (const role of ROLES) people[role] = (await member(tenant.id, role)).principal;
  people.outsider = (await member((await createTenant()).id, "owner")).principal;
  people.platform = await person({ platform: true });
  return { slug: tenant.slug, tenantId: tenant.id, zone: zone.name, zoneId: zone.zoneId, people };
}

/** A new TXT record in the fixture's zone, to edit or delete. */
export async function freshRecord(f: TenantFixture) {
  return (await applyChangeSet(f.zoneId, { add: [{ name: uniqueLabel("r"), type: "TXT", ttl: 300, content: "x" }] }, TEST_ACTOR)).added[0];
}

export const domainRef = (f: TenantFixture) => ({ tenant: f.slug, domain: f.zone });
