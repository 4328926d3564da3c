// The permission matrix: every role × every action, cross-tenant access, platform admins.
import { describe, expect, it } from "vitest";
import { db } from "../../lib/db/client.ts";
import { ForbiddenError, NotFoundError } from "../../lib/errors.ts";
import { ACTIONS, requirePermission, requireZonePermission, ROLE_ACTIONS, type Action, type Principal } from "../../lib/permissions.ts";
import { createTenant, createZone, uniqueLabel } from "../helpers/factories.ts";

const EXPECTED: Record<string, Action[]> = {
  viewer: ["zone:read", "member:read"],
  editor: ["zone:read", "zone:edit", "member:read"],
  admin: ["zone:read", "zone:edit", "domain:manage", "member:read", "member:manage", "audit:read"],
  owner: ["zone:read", "zone:edit", "domain:manage", "member:read", "member:manage", "owner:manage", "audit:read"],
};

async function user(opts: { platform?: boolean } = {}): Promise<Principal> {
  const email = `${uniqueLabel("u")}@example.test`;
  const u = await db().user.create({ data: { email, isPlatformAdmin: opts.platform ?? false } });
  return { userId: u.id, email, isPlatformAdmin: u.isPlatformAdmin };
}

describe("requirePermission", () => {
  it("grants exactly each role's actions", async () => {
    const tenant = await createTenant();
    const zone = await createZone([], { tenantId: tenant.id });
    for (const role of ["viewer", "editor", "admin", "owner"] as const) {
      expect(ROLE_ACTIONS[role]).toEqual(EXPECTED[role]);
      const p = await user();
      await db().membership.create({ data: { userId: p.userId, tenantId: tenant.id, role } });
      for (const action of ACTIONS) {
        const allowed = EXPECTED[role].includes(action);
        const check = requirePermission(p, tenant.id, action);
        const zoneCheck = requireZonePermission(p, zone.name, action);
        if (allowed) {
          await expect(check).resolves.toEqual({ tenantId: tenant.id, role });
          await expect(zoneCheck).resolves.toMatchObject({ zone: { id: zone.zoneId } });
        } else {
          await expect(check).rejects.toThrow(ForbiddenError);
          await expect(zoneCheck).rejects.toThrow(ForbiddenError);
        }
      }
    }
  });

  it("another tenant's resources are not found, for every action", async () => {
    const mine = await createTenant();
    const theirs = await createTenant();
    const theirZone = await createZone([], { tenantId: theirs.id });
    const p = await user();
    await db().membership.create({ data: { userId: p.userId, tenantId: mine.id, role: "owner" } });
    for (const action of ACTIONS) {
      await expect(requirePermission(p, theirs.id, action)).rejects.toThrow(NotFoundError);
      await expect(requireZonePermission(p, theirZone.name, action)).rejects.toThrow(/domain not found/);
    }
    await expect(requireZonePermission(p, "does-not-exist.test", "zone:read")).rejects.toThrow(/domain not found/);
  });

  it("platform admins act on any tenant through the same check, audited", async () => {
    const tenant = await createTenant();
    const admin = await user({ platform: true });
    await expect(requirePermission(admin, tenant.id, "zone:edit")).resolves.toEqual({ tenantId: tenant.id, role: "platform" });
    expect(await db().auditLog.count({ where: { actorId: admin.userId, action: "platform.access", tenantId: tenant.id } })).toBe(1);
  });
});
