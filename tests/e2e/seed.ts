// The browser tests' people: two tenants, a user for each role in "acme", an owner of "other",
// and a platform admin. Every user has the same password. Zones are made by each test itself
// (tests/e2e/data.ts), so tests never depend on each other's edits.
import { db } from "../../lib/db/client.ts";
import { hashPassword } from "../../lib/auth/password.ts";
import { ensureRegistry } from "../../lib/registry/tlds.ts";

/** The TLD the browser tests' registry runs (REGISTRY_TLDS for the servers they start). */
export const REGISTRY_TLD = "example";

export const PASSWORD = "correct horse battery staple";

export const USERS = {
  owner: "owner@acme.test",
  admin: "admin@acme.test",
  editor: "editor@acme.test",
  viewer: "viewer@acme.test",
  otherOwner: "owner@other.test",
  platform: "platform@example.test",
} as const;

export async function seed() {
  const passwordHash = await hashPassword(PASSWORD);
  const acme = await db().tenant.create({ data: { slug: "acme", name: "Acme" } });
  const other = await db().tenant.create({ data: { slug: "other", name: "Other Co" } });
  const member = async (email: string, tenantId: string | null, role: "owner" | "admin" | "editor" | "viewer", isPlatformAdmin = false) => {
    const user = await db().user.create({ data: { email, passwordHash, isPlatformAdmin, name: email.split("@")[0] } });
    if (tenantId) await db().membership.create({ data: { userId: user.id, tenantId, role } });
  };
  await member(USERS.owner, acme.id, "owner");
  await member(USERS.admin, acme.id, "admin");
  await member(USERS.editor, acme.id, "editor");
  await member(USERS.viewer, acme.id, "viewer");
  await member(USERS.otherOwner, other.id, "owner");
  await member(USERS.platform, null, "owner", true);
  await ensureRegistry();
}
