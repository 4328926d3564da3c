// The write path against a real PostgreSQL.
import { describe, expect, it } from "vitest";
import pg from "pg";
import { db } from "../../lib/db/client.ts";
import { ConflictError, ValidationError } from "../../lib/errors.ts";
import { applyChangeSet, ZONE_CHANGED_CHANNEL } from "../../lib/zone/change-set.ts";
import { serialGreaterThan } from "../../lib/zone/serial.ts";
import { createZone, TEST_ACTOR } from "../helpers/factories.ts";

async function snapshot(zoneId: string) {
  const zone = await db().zone.findUniqueOrThrow({ where: { id: zoneId } });
  const records = await db().record.findMany({ where: { zoneId }, orderBy: [{ name: "asc" }, { type: "asc" }, { content: "asc" }] });
  const journal = await db().zoneChange.count({ where: { zoneId } });
  return { serial: Number(zone.serial), records: records.map((r) => `${r.name} ${r.type} ${r.content}`), journal };
}

describe("applyChangeSet", () => {
  it("one change set = one serial bump, one journal entry, one audit entry", async () => {
    const zone = await createZone();
    const before = await snapshot(zone.zoneId);
    const result = await applyChangeSet(zone.zoneId, {
      add: [
        { name: "www", type: "A", ttl: 300, content: "192.0.2.1" },
        { name: "www", type: "AAAA", ttl: 300, content: "2001:db8::1" },
        { name: "@", type: "MX", ttl: 300, content: "10 mail.example.net." },
      ],
    }, TEST_ACTOR);
    const after = await snapshot(zone.zoneId);
    expect(result.oldSerial).toBe(before.serial);
    expect(result.serial).toBe(after.serial);
    expect(serialGreaterThan(after.serial, before.serial)).toBe(true);
    expect(after.journal).toBe(before.journal + 1);
    const entry = await db().zoneChange.findFirstOrThrow({ where: { zoneId: zone.zoneId }, orderBy: { createdAt: "desc" } });
    expect(entry).toMatchObject({ oldSerial: BigInt(before.serial), newSerial: BigInt(after.serial), actorLabel: "test" });
    expect((entry.added as unknown[]).length).toBe(3);
    expect(await db().auditLog.count({ where: { action: "zone.change", target: zone.name } })).toBe(2);
  });

  it("a rejected change set writes nothing, even when only its last record is bad", async () => {
    const zone = await createZone([{ name: "www", type: "A", content: "192.0.2.1" }]);
    const before = await snapshot(zone.zoneId);
    await expect(applyChangeSet(zone.zoneId, {
      add: [{ name: "ok", type: "A", content: "192.0.2.2" }, { name: "www", type: "CNAME", content: "elsewhere.example.net." }],
    }, TEST_ACTOR)).rejects.toThrow(ValidationError);
    await expect(applyChangeSet(zone.zoneId, { add: [{ name: "ok", type: "A", content: "192.0.2.2" }, { name: "bad", type: "A", content: "300.1.1.1" }] }, TEST_ACTOR))
      .rejects.toMatchObject({ issues: [{ path: ["add", 1, "address"] }] });
    await expect(applyChangeSet(zone.zoneId, { remove: [{ name: "nothere", type: "A" }] }, TEST_ACTOR)).rejects.toThrow(/no A record/);
    await expect(applyChangeSet(zone.zoneId, {}, TEST_ACTOR)).rejects.toThrow(/empty/);
    expect(await snapshot(zone.zoneId)).toEqual(before);
  });

  it("refuses duplicates and keeps the apex NS", async () => {
    const zone = await createZone([{ name: "www", type: "A", content: "192.0.2.1" }]);
    await expect(applyChangeSet(zone.zoneId, { add: [{ name: "www", type: "A", content: "192.0.2.1" }] }, TEST_ACTOR)).rejects.toThrow(/already has/);
    await expect(applyChangeSet(zone.zoneId, { remove: [{ name: "@", type: "NS" }] }, TEST_ACTOR)).rejects.toThrow(/at least one NS/);
  });

  it("refuses an MX whose target is a CNAME in the zone, and a CNAME where an MX points", async () => {
    const zone = await createZone([{ name: "alias", type: "CNAME", content: "host.example.net." }, { name: "mx", type: "A", content: "192.0.2.25" }]);
    await applyChangeSet(zone.zoneId, { add: [{ name: "@", type: "MX", content: `10 mx.${zone.name}.` }] }, TEST_ACTOR);
    await expect(applyChangeSet(zone.zoneId, { remove: [{ name: "mx", type: "A" }], add: [{ name: "mx", type: "CNAME", content: "host.example.net." }] }, TEST_ACTOR)).rejects.toThrow(/target of MX/);
    await expect(applyChangeSet(zone.zoneId, { add: [{ name: "@", type: "MX", content: `20 alias.${zone.name}.` }] }, TEST_ACTOR)).rejects.toThrow(/is a CNAME/);
  });

  it("refuses a CNAME at a name an NS points at, even when its address goes in the same change set", async () => {
    const zone = await createZone();
    await applyChangeSet(zone.zoneId, { add: [{ name: "@", type: "NS", content: `ns1.${zone.name}.` }, { name: "ns1", type: "A", content: "192.0.2.53" }] }, TEST_ACTOR);
    const before = await snapshot(zone.zoneId);
    await expect(applyChangeSet(zone.zoneId, {
      remove: [{ name: "ns1", type: "A" }],
      add: [{ name: "ns1", type: "CNAME", content: "elsewhere.example.net." }],
    }, TEST_ACTOR)).rejects.toThrow(/target of NS/);
    expect(await snapshot(zone.zoneId)).toEqual(before);
  });

  it("refuses a CNAME where an SRV points, and NS/SRV records whose target is a CNAME (RFC 2181 §10.3)", async () => {
    const zone = await createZone();
    await applyChangeSet(zone.zoneId, {
      add: [
        { name: "_sip._tcp", type: "SRV", content: `0 0 5060 sip.${zone.name}.` },
        { name: "sip", type: "A", content: "192.0.2.60" },
        { name: "alias", type: "CNAME", content: "host.example.net." },
      ],
    }, TEST_ACTOR);
    await expect(applyChangeSet(zone.zoneId, { remove: [{ name: "sip", type: "A" }], add: [{ name: "sip", type: "CNAME", content: "host.example.net." }] }, TEST_ACTOR))
      .rejects.toThrow(/target of SRV/);
    await expect(applyChangeSet(zone.zoneId, { add: [{ name: "_xmpp._tcp", type: "SRV", content: `0 0 5222 alias.${zone.name}.` }] }, TEST_ACTOR))
      .rejects.toThrow(/SRV target .* is a CNAME/);
    await expect(applyChangeSet(zone.zoneId, { add: [{ name: "@", type: "NS", content: `alias.${zone.name}.` }] }, TEST_ACTOR))
      .rejects.toThrow(/NS target .* is a CNAME/);
  });

  it("refuses an SRV whose target is an IP address", async () => {
    const zone = await createZone();
    await expect(applyChangeSet(zone.zoneId, { add: [{ name: "_sip._udp", type: "SRV", content: "0 0 5060 192.0.2.60" }] }, TEST_ACTOR))
      .rejects.toMatchObject({ issues: [{ path: ["add", 0, "target"], message: expect.stringMatching(/not an IP address/) }] });
  });

  it("refuses stale edits (no silent overwrite) and applies current ones", async () => {
    const zone = await createZone([{ name: "www", type: "A", content: "192.0.2.1" }]);
    const record = await db().record.findFirstOrThrow({ where: { zoneId: zone.zoneId, type: "A" } });
    const first = await applyChangeSet(zone.zoneId, { update: [{ id: record.id, version: record.version, record: { name: "www", type: "A", ttl: 60, content: "192.0.2.2" } }] }, TEST_ACTOR);
    expect(first.added[0]).toMatchObject({ id: record.id, version: record.version + 1, content: "192.0.2.2" });
    // A second editor who loaded the old version:
    await expect(applyChangeSet(zone.zoneId, { update: [{ id: record.id, version: record.version, record: { name: "www", type: "A", content: "192.0.2.3" } }] }, TEST_ACTOR))
      .rejects.toThrow(ConflictError);
    await expect(applyChangeSet(zone.zoneId, { remove: [{ id: record.id, version: record.version }] }, TEST_ACTOR)).rejects.toThrow(ConflictError);
    expect((await snapshot(zone.zoneId)).records).toContain(`www.${zone.name} A 192.0.2.2`);
  });

  it("20 parallel change sets on one zone: 20 distinct increasing serials, all records present", async () => {
    const zone = await createZone();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => applyChangeSet(zone.zoneId, { add: [{ name: `host${i}`, type: "A", content: `192.0.2.${i + 1}` }] }, TEST_ACTOR)),
    );
    const serials = results.map((r) => r.serial);
    expect(new Set(serials).size).toBe(20);
    // Each change set starts from the serial the previous one committed: a single chain.
    const chain = [...results].sort((a, b) => (serialGreaterThan(a.serial, b.serial) ? 1 : -1));
    for (let i = 1; i < chain.length; i++) expect(chain[i].oldSerial).toBe(chain[i - 1].serial);
    const after = await snapshot(zone.zoneId);
    expect(after.serial).toBe(chain.at(-1)!.serial);
    for (let i = 0; i < 20; i++) expect(after.records).toContain(`host${i}.${zone.name} A 192.0.2.${i + 1}`);
  });

  it("NOTIFYs zone_changed with '<zone id>:<serial>' on commit, never on rollback", async () => {
    const zone = await createZone();
    const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await listener.connect();
    const payloads: string[] = [];
    listener.on("notification", (m) => payloads.push(m.payload ?? ""));
    await listener.query(`LISTEN ${ZONE_CHANGED_CHANNEL}`);
    await expect(applyChangeSet(zone.zoneId, { add: [{ name: "x", type: "A", content: "nope" }] }, TEST_ACTOR)).rejects.toThrow();
    const ok = await applyChangeSet(zone.zoneId, { add: [{ name: "x", type: "A", content: "192.0.2.1" }] }, TEST_ACTOR);
    const deadline = Date.now() + 5000;
    while (!payloads.some((p) => p.startsWith(zone.zoneId)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await listener.end();
    expect(payloads.filter((p) => p.startsWith(zone.zoneId))).toEqual([`${zone.zoneId}:${ok.serial}`]);
  });
});
