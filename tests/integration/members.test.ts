// The rules that keep a tenant manageable: who may change whom, and the last owner.
import { describe, expect, it } from "vitest";
import { db } from "../../lib/db/client.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../../lib/errors.ts";
import type { Principal } from "../../lib/permissions.ts";
import { changeRole, removeMember } from "../../lib/tenancy/members.ts";
import { createTenant, uniqueLabel } from "../helpers/factories.ts";

async function join(tenantId: string, role: "owner" | "admin" | "editor" | "viewer") {
  const user = await db().user.create({ data: { email: `${uniqueLabel("m")}@example.test` } });
  const m = await db().membership.create({ data: { userId: user.id, tenantId, role } });
  const principal: Principal = { userId: user.id, email: user.email, isPlatformAdmin: false };
  return { principal, membershipId: m.id };
}

describe("members", () => {
  it("the last owner can be neither demoted nor removed, even by themselves", async () => {
    const tenant = await createTenant();
    const owner = await join(tenant.id, "owner");
    await expect(changeRole(owner.principal, tenant.slug, owner.membershipId, "admin")).rejects.toThrow(/last owner cannot be demoted/);
    await expect(removeMember(owner.principal, tenant.slug, owner.membershipId)).rejects.toThrow(/last owner cannot be removed/);
    expect((await db().membership.findUniqueOrThrow({ where: { id: owner.membershipId } })).role).toBe("owner");
  });

  it("two owners demoting each other at the same time leave one owner", async () => {
    const tenant = await createTenant();
    const a = await join(tenant.id, "owner");
    const b = await join(tenant.id, "owner");
    const results = await Promise.allSettled([
      changeRole(a.principal, tenant.slug, b.membershipId, "admin"),
      changeRole(b.principal, tenant.slug, a.membershipId, "admin"),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(Error);
    expect(await db().membership.count({ where: { tenantId: tenant.id, role: "owner" } })).toBe(1);
  });

  it("admins manage editors and viewers but not owners; anyone may leave", async () => {
    const tenant = await createTenant();
    const owner = await join(tenant.id, "owner");
    const admin = await join(tenant.id, "admin");
    const viewer = await join(tenant.id, "viewer");
    await changeRole(admin.principal, tenant.slug, viewer.membershipId, "editor");
    await expect(changeRole(admin.principal, tenant.slug, viewer.membershipId, "owner")).rejects.toThrow(ForbiddenError);
    await expect(changeRole(admin.principal, tenant.slug, admin.membershipId, "owner")).rejects.toThrow(ForbiddenError);
    await expect(changeRole(admin.principal, tenant.slug, owner.membershipId, "viewer")).rejects.toThrow(ForbiddenError);
    await expect(removeMember(admin.principal, tenant.slug, owner.membershipId)).rejects.toThrow(ForbiddenError);
    await expect(changeRole(admin.principal, tenant.slug, viewer.membershipId, "superuser")).rejects.toThrow(ValidationError);
    await removeMember(viewer.principal, tenant.slug, viewer.membershipId); // leaving
    await expect(removeMember(admin.principal, tenant.slug, viewer.membershipId)).rejects.toThrow(NotFoundError);
  });

  it("a membership of another tenant is not found through this one", async () => {
    const mine = await createTenant();
    const theirs = await createTenant();
    const owner = await join(mine.id, "owner");
    const stranger = await join(theirs.id, "viewer");
    await expect(removeMember(owner.principal, mine.slug, stranger.membershipId)).rejects.toThrow(NotFoundError);
    await expect(changeRole(owner.principal, mine.slug, stranger.membershipId, "admin")).rejects.toThrow(NotFoundError);
  });
});
