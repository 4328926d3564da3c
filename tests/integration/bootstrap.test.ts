// First-run data (npm run db:seed, npm start): a platform admin and the demo tenant, once.
//
// seedFirstRun does nothing when any platform admin exists, and other test files create
// platform admins in the suite's shared database at any moment, so this runs against a
// database of its own on the same server (migrated with the code the suite itself uses).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createDb, type Db } from "../../lib/db/client.ts";
import { applyMigrations } from "../../lib/db/migrate.ts";
import { verifyPassword } from "../../lib/auth/password.ts";
import { seedFirstRun } from "../../lib/seed.ts";
import { uniqueLabel } from "../helpers/factories.ts";

let client: Db;
const name = uniqueLabel("bootstrap_");

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  client = createDb(url.toString(), 2);
});

afterAll(async () => {
  await client?.$disconnect();
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

/** Only these settings: the test's own process environment plays no part. */
const env = (vars: Record<string, string>) => ({ NODE_ENV: "test", ...vars }) as NodeJS.ProcessEnv;

async function counts() {
  const [users, tenants, memberships, audit] = await Promise.all([client.user.count(), client.tenant.count(), client.membership.count(), client.auditLog.count()]);
  return { users, tenants, memberships, audit };
}

describe("seedFirstRun", () => {
  it("creates the platform admin (ADMIN_EMAIL, ADMIN_PASSWORD) as owner of the demo tenant, then never again", async () => {
    const first = await seedFirstRun(env({ ADMIN_EMAIL: " Root@Example.TEST ", ADMIN_PASSWORD: "correct horse battery staple" }), client);
    expect(first).toEqual({ adminEmail: "root@example.test", created: true, generatedPassword: undefined });

    const user = await client.user.findUniqueOrThrow({ where: { email: "root@example.test" }, include: { memberships: { include: { tenant: true } } } });
    expect(user.isPlatformAdmin).toBe(true);
    expect(await verifyPassword("correct horse battery staple", user.passwordHash)).toBe(true);
    expect(await verifyPassword("something else", user.passwordHash)).toBe(false);
    expect(user.memberships.map((m) => [m.tenant.slug, m.role])).toEqual([["demo", "owner"]]);

    const before = await counts();
    expect(before).toMatchObject({ users: 1, tenants: 1, memberships: 1 });
    // A second run (every `npm start`), even with other settings, changes nothing.
    const second = await seedFirstRun(env({ ADMIN_EMAIL: "other@example.test", ADMIN_PASSWORD: "another password" }), client);
    expect(second).toEqual({ adminEmail: "root@example.test", created: false });
    expect(await counts()).toEqual(before);
    const still = await client.user.findUniqueOrThrow({ where: { email: "root@example.test" } });
    expect(still.passwordHash).toBe(user.passwordHash);
  });
});
