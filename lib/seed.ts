// First-run data: a platform admin and a demo tenant. Idempotent: a second run changes nothing.
import { db, type Db } from "./db/client.ts";
import { hashPassword, randomPassword } from "./auth/password.ts";
import { audit } from "./audit/audit.ts";

export interface SeedResult {
  adminEmail: string;
  /** Only when this run created the admin with a generated password (printed once). */
  generatedPassword?: string;
  created: boolean;
}

export async function seedFirstRun(env: NodeJS.ProcessEnv = process.env, client: Db = db()): Promise<SeedResult> {
  const adminEmail = (env.ADMIN_EMAIL ?? "admin@example.com").trim().toLowerCase();
  const existing = await client.user.findFirst({ where: { isPlatformAdmin: true } });
  if (existing) return { adminEmail: existing.email, created: false };
  const password = env.ADMIN_PASSWORD || randomPassword();
  await client.$transaction(async (tx) => {
    const admin = await tx.user.create({
      data: { email: adminEmail, name: "Platform admin", passwordHash: await hashPassword(password), isPlatformAdmin: true },
    });
    const demo = await tx.tenant.upsert({ where: { slug: "demo" }, update: {}, create: { slug: "demo", name: "Demo" } });
    await tx.membership.create({ data: { userId: admin.id, tenantId: demo.id, role: "owner" } });
    await audit(tx, { actorLabel: "system", action: "platform.seed", target: adminEmail });
  });
  return { adminEmail, generatedPassword: env.ADMIN_PASSWORD ? undefined : password, created: true };
}
