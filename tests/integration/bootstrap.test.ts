// First-run data (npm run db:seed, npm start): a platform admin and the demo tenant, once.
//
// seedFirstRun does nothing when any platform admin exists, and other test files create
// platform admins in the suite's shared database at any moment, so this runs against a
// database of its own on the same server (migrated with the code the suite itself uses).
import { describe, expect, it } from "vitest";
import { verifyPassword } from "../../lib/auth/password.ts";
import { seedFirstRun } from "../../lib/seed.ts";
import { useOwnDatabase } from "../helpers/own-database.ts";

const own = useOwnDatabase("bootstrap_");

/** Only these settings: the test's own process environment plays no part. */
const env = (vars: Record<string, string>) => ({ NODE_ENV: "test", ...vars }) as NodeJS.ProcessEnv;

async function counts() {
  const [users, tenants, memberships, audit] = await Promise.all([own.client.user.count(), own.client.tenant.count(), own.client.membership.count(), own.client.auditLog.count()]);
  return { users, tenants, memberships, audit };
}

describe("seedFirstRun", () => {
  it("creates the platform admin (ADMIN_EMAIL, ADMIN_PASSWORD) as owner of the demo tenant, then never again", async () => {
    const first = await seedFirstRun(env({ ADMIN_EMAIL: " Root@Example.TEST ", ADMIN_PASSWORD: "correct horse battery staple" }), own.client);
    expect(first).toEqual({ adminEmail: "root@example.test", created: true, generatedPassword: undefined });

    const user = await own.client.user.findUniqueOrThrow({ where: { email: "root@example.test" }, include: { memberships: { include: { tenant: true } } } });
    expect(user.isPlatformAdmin).toBe(true);
    expect(await verifyPassword("correct horse battery staple", user.passwordHash)).toBe(true);
    expect(await verifyPassword("something else", user.passwordHash)).toBe(false);
    expect(user.memberships.map((m) => [m.tenant.slug, m.role])).toEqual([["demo", "owner"]]);

    const before = await counts();
    expect(before).toMatchObject({ users: 1, tenants: 1, memberships: 1 });
    // A second run (every `npm start`), even with other settings, changes nothing.
    const second = await seedFirstRun(env({ ADMIN_EMAIL: "other@example.test", ADMIN_PASSWORD: "another password" }), own.client);
    expect(second).toEqual({ adminEmail: "root@example.test", created: false });
    expect(await counts()).toEqual(before);
    const still = await own.client.user.findUniqueOrThrow({ where: { email: "root@example.test" } });
    expect(still.passwordHash).toBe(user.passwordHash);
  });
});
