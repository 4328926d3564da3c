// GET /api/health (lib/health.ts) tells the truth: 503 when the database is down, and which
// nameservers run and how far behind they are. Nameserver reports are rows (as the nameserver
// writes them), in a database of its own: the suite's shared one has other tests' nameservers.
import { describe, expect, it } from "vitest";
import { createDb } from "../../lib/db/client.ts";
import { createHostedDomain } from "../../lib/domains.ts";
import { checkHealth, healthResponse } from "../../lib/health.ts";
import { applyChangeSet } from "../../lib/zone/change-set.ts";
import { TEST_ACTOR, uniqueLabel } from "../helpers/factories.ts";
import { useOwnDatabase } from "../helpers/own-database.ts";

const own = useOwnDatabase("health_");

/** What a nameserver writes: its heartbeat, and the serial it serves of each zone. */
async function nameserverReports(id: string, lastSeenAt: Date, serials: Record<string, bigint>) {
  await own.client.nameserverInstance.upsert({ where: { id }, create: { id, startedAt: lastSeenAt, lastSeenAt }, update: { lastSeenAt } });
  for (const [zoneId, serial] of Object.entries(serials)) {
    await own.client.servedZone.upsert({ where: { nameserverId_zoneId: { nameserverId: id, zoneId } }, create: { nameserverId: id, zoneId, serial }, update: { serial } });
  }
}

describe("health", () => {
  it("answers 503 with status down when the database is unreachable, without the connection string", async () => {
    const unreachable = createDb("postgresql://postgres:secret@127.0.0.1:1/dns", 1);
    try {
      const response = await healthResponse(() => unreachable);
      expect(response.status).toBe(503);
      const body = await response.json();
      expect(body).toMatchObject({ status: "down", database: { ok: false } });
      expect(JSON.stringify(body)).not.toContain("secret");
    } finally {
      await unreachable.$disconnect().catch(() => {});
    }
  });

  it("reports the nameservers, their lag, and degrades (200) when none runs or one lags", async () => {
    // No nameserver has ever reported: the database is fine, DNS is not.
    const none = await healthResponse(() => own.client);
    expect(none.status).toBe(200);
    expect(await none.json()).toMatchObject({ status: "degraded", database: { ok: true }, nameservers: [] });

    const tenant = await own.client.tenant.create({ data: { slug: uniqueLabel("h"), name: "health" } });
    const { zoneId } = await createHostedDomain({ tenantId: tenant.id, name: `${uniqueLabel("h")}.example` }, TEST_ACTOR, own.client);
    const zone = () => own.client.zone.findUniqueOrThrow({ where: { id: zoneId } });
    const now = new Date();
    await nameserverReports("ns-current", now, { [zoneId]: (await zone()).serial });
    // One that stopped reporting five minutes ago: listed, not alive, not waited for.
    await nameserverReports("ns-gone", new Date(now.getTime() - 300_000), {});

    const ok = await checkHealth(() => own.client);
    expect(ok.status).toBe("ok");
    expect(ok.nameservers).toEqual([
      expect.objectContaining({ id: "ns-current", alive: true, zonesBehind: 0, lagSeconds: 0 }),
      expect.objectContaining({ id: "ns-gone", alive: false }),
    ]);

    // A change the nameserver does not serve yet: behind, but only just (still ok)...
    await applyChangeSet(zoneId, { add: [{ name: "www", type: "A", content: "192.0.2.1" }] }, TEST_ACTOR, own.client);
    const justNow = await checkHealth(() => own.client);
    expect(justNow.nameservers[0]).toMatchObject({ id: "ns-current", zonesBehind: 1 });
    expect(justNow.status).toBe("ok");
    // ...and a minute later, a lagging nameserver.
    await own.client.$executeRaw`UPDATE "Zone" SET "updatedAt" = now() - interval '60 seconds' WHERE id = ${zoneId}`;
    const lagging = await healthResponse(() => own.client);
    expect(lagging.status).toBe(200);
    const body = await lagging.json();
    expect(body.status).toBe("degraded");
    expect(body.nameservers[0]).toMatchObject({ id: "ns-current", zonesBehind: 1, lagSeconds: expect.any(Number) });
    expect(body.nameservers[0].lagSeconds).toBeGreaterThanOrEqual(59);
    expect(body.problems.join("\n")).toMatch(/ns-current: 1 zone\(s\) behind/);

    // Caught up: ok again.
    await nameserverReports("ns-current", new Date(), { [zoneId]: (await zone()).serial });
    expect((await checkHealth(() => own.client)).status).toBe("ok");
  }, 60_000);
});
