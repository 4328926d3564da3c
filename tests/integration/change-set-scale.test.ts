// Big change sets through the one write path: a zone import is one change set of 100,000
// records, and must commit as one serial bump, one journal entry, all or nothing. Speed is
// reported (the lead's figures), not asserted, except a gross bound against a regression back
// to the old minute-long transactions.
import { describe, expect, it } from "vitest";
import { db } from "../../lib/db/client.ts";
import { ValidationError } from "../../lib/errors.ts";
import type { RecordInput } from "../../lib/records/record-input.ts";
import { applyChangeSet } from "../../lib/zone/change-set.ts";
import { serialGreaterThan } from "../../lib/zone/serial.ts";
import { createZone, TEST_ACTOR } from "../helpers/factories.ts";

const BIG = 100_000;
const GROSS_BOUND_MS = 120_000;
const TEST_TIMEOUT_MS = 300_000;

// The zones here hold more records than a tenant's quota (QUOTA_RECORDS_PER_ZONE) allows: the
// changes are written as the platform ("system"), which quotas do not limit
// (lib/tenancy/tenant-writes.ts).

/** Records already in the zone: some at names the import also uses, one MX the rules must follow. */
function existingRecords(zone: string): RecordInput[] {
  return [
    ...Array.from({ length: 40 }, (_, i) => ({ name: `old${i}`, type: "A", content: `198.51.100.${i + 1}` })),
    { name: "h0", type: "A", content: "198.51.100.200" },
    { name: "@", type: "MX", content: `10 old0.${zone}.` },
  ];
}

/**
 * An import of `count` records, like a zone file: per host, A + TXT + MX (pointing at the host
 * itself, inside the zone) at one shared name, and a CNAME to it at a name of its own.
 */
function zoneImport(count: number, zone: string, prefix = "h"): RecordInput[] {
  const records: RecordInput[] = [];
  for (let i = 0; records.length < count; i++) {
    const host = `${prefix}${i}`;
    const group: RecordInput[] = [
      { name: host, type: "A", ttl: 300, content: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
      { name: host, type: "TXT", ttl: 300, content: `"v=spf1 -all" "host ${i}"` },
      { name: host, type: "MX", content: `10 ${host}.${zone}.` },
      { name: `www-${host}`, type: "CNAME", content: `${host}.${zone}.` },
    ];
    records.push(...group.slice(0, count - records.length));
  }
  return records;
}

async function snapshot(zoneId: string) {
  const zone = await db().zone.findUniqueOrThrow({ where: { id: zoneId } });
  return {
    serial: Number(zone.serial),
    records: await db().record.count({ where: { zoneId } }),
    journal: await db().zoneChange.count({ where: { zoneId } }),
  };
}

describe("change sets of 100,000 records", () => {
  it("adds 100,000 records as one serial bump and one journal entry, then removes them the same way", async () => {
    const zone = await createZone();
    await applyChangeSet(zone.zoneId, { add: existingRecords(zone.name) }, TEST_ACTOR);
    const before = await snapshot(zone.zoneId);

    let started = Date.now();
    const result = await applyChangeSet(zone.zoneId, { add: zoneImport(BIG, zone.name) }, TEST_ACTOR);
    const addMs = Date.now() - started;
    expect(addMs).toBeLessThan(GROSS_BOUND_MS);

    const after = await snapshot(zone.zoneId);
    expect(result.oldSerial).toBe(before.serial);
    expect(after.serial).toBe(result.serial);
    expect(serialGreaterThan(result.serial, before.serial)).toBe(true);
    expect(after.records).toBe(before.records + BIG);
    expect(after.journal).toBe(before.journal + 1);
    expect(result.added).toHaveLength(BIG);

    // The journal entry is what the nameserver applies as a delta: exactly the stored rows.
    const entry = await db().zoneChange.findUniqueOrThrow({ where: { id: result.changeId } });
    expect(entry).toMatchObject({ oldSerial: BigInt(before.serial), newSerial: BigInt(result.serial), actorLabel: TEST_ACTOR.label });
    const added = entry.added as { id: string; name: string; type: string; ttl: number; content: string }[];
    expect(added).toHaveLength(BIG);
    expect(entry.removed).toEqual([]);
    expect(Object.keys(added[0]).sort()).toEqual(["content", "id", "name", "ttl", "type"]);
    const stored = await db().record.findMany({
      where: { zoneId: zone.zoneId, id: { in: [added[0].id, added[2].id, added[BIG - 1].id] } },
      select: { id: true, name: true, type: true, ttl: true, content: true, version: true },
    });
    const byId = new Map(stored.map((r) => [r.id, r]));
    for (const e of [added[0], added[2], added[BIG - 1]]) expect(byId.get(e.id)).toEqual({ ...e, version: 1 });
    expect(added[2]).toMatchObject({ name: `h0.${zone.name}`, type: "MX", ttl: 3600, content: `10 h0.${zone.name}.` });
    expect(new Set(added.map((e) => e.id)).size).toBe(BIG);
    // Ids were made by the write path: every one of them is in the zone.
    expect(await db().record.count({ where: { zoneId: zone.zoneId, id: { in: added.slice(0, 5000).map((e) => e.id) } } })).toBe(5000);

    started = Date.now();
    const removal = await applyChangeSet(zone.zoneId, { remove: result.added.map((r) => ({ id: r.id, version: r.version })) }, TEST_ACTOR);
    expect(Date.now() - started).toBeLessThan(GROSS_BOUND_MS);
    const final = await snapshot(zone.zoneId);
    expect(final.records).toBe(before.records);
    expect(final.journal).toBe(before.journal + 2);
    expect(removal.oldSerial).toBe(result.serial);
    expect(removal.removed).toHaveLength(BIG);
    const removedEntry = await db().zoneChange.findUniqueOrThrow({ where: { id: removal.changeId } });
    expect(removedEntry.removed as unknown[]).toHaveLength(BIG);
    expect(removedEntry.added).toEqual([]);
  }, TEST_TIMEOUT_MS);

  it("a 100,000-record change set with one invalid record writes nothing and names that record", async () => {
    const zone = await createZone(existingRecords("x"));
    const before = await snapshot(zone.zoneId);
    const records = zoneImport(BIG, zone.name);
    records[77_777] = { name: "bad", type: "A", content: "300.1.1.1" };

    const started = Date.now();
    const error = await applyChangeSet(zone.zoneId, { add: records }, TEST_ACTOR).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(GROSS_BOUND_MS);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ path: ["add", 77_777, "address"], message: expect.stringMatching(/IPv4/) }]);
    expect(await snapshot(zone.zoneId)).toEqual(before);
  }, TEST_TIMEOUT_MS);

  it("a 100,000-record change set that breaks a zone rule at its last record writes nothing", async () => {
    const zone = await createZone(existingRecords("x"));
    const before = await snapshot(zone.zoneId);
    const records = zoneImport(BIG, zone.name);
    // Valid on its own; refused only against the zone (a CNAME beside an existing A), inside the
    // transaction, after everything before it was checked.
    records[BIG - 1] = { name: "old3", type: "CNAME", content: "elsewhere.example.net." };

    const error = await applyChangeSet(zone.zoneId, { add: records }, TEST_ACTOR).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ path: ["add", BIG - 1, "type"], message: expect.stringMatching(/CNAME cannot exist beside/) }]);
    expect(await snapshot(zone.zoneId)).toEqual(before);
  }, TEST_TIMEOUT_MS);
});
