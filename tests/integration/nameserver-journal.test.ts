// The nameserver follows each zone by its journal: a change set reaches the served index as the
// delta it is, and only a gap, a change set too big to apply in place, or a change to what is
// served, loads the zone whole (said in its log, which is how these tests tell the two apart).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db/client.ts";
import { applyChangeSet, applyChangeSetInTransaction } from "../../lib/zone/change-set.ts";
import { DELTA_MAX_RECORDS } from "../../nameserver/zone-loader.ts";
import { query, soaSerial } from "../helpers/dns-client.ts";
import { createZone, TEST_ACTOR } from "../helpers/factories.ts";
import { eventually, startNameserver, type NameserverProcess } from "../helpers/nameserver-process.ts";

let ns: NameserverProcess;
let zone: Awaited<ReturnType<typeof createZone>>;

const wholeLoads = (name: string) => ns.output().split("\n").filter((l) => l.includes(`zone ${name}: loaded whole`)).length;
const servedSerial = async (name: string) => soaSerial(await query(ns.port, name, "SOA"));

beforeAll(async () => {
  // A zone of some size: 3,000 records, so a whole load would show.
  zone = await createZone([
    ...Array.from({ length: 3000 }, (_, i) => ({ name: `h${i}`, type: "A", ttl: 300, content: `10.0.${i >> 8}.${i & 255}` })),
    // Stored with backslashes, which COPY escapes again: the loader must read them back exactly.
    { name: "quoted", type: "TXT", ttl: 300, content: '"say \\"hi\\" \\\\ back"' },
  ]);
  ns = await startNameserver({ env: { DNS_RESYNC_INTERVAL_MS: "0" } });
}, 120_000);
afterAll(async () => ns?.stop());

describe("following the journal", () => {
  it("applies edits as deltas: additions, removals and updates are served, the zone is never reloaded", async () => {
    const before = wholeLoads(zone.name);
    const name = `d.${zone.name}`;
    const added = await applyChangeSet(zone.zoneId, { add: [{ name: "d", type: "A", ttl: 300, content: "192.0.2.1" }] }, TEST_ACTOR);
    await eventually(async () => expect((await query(ns.port, name, "A")).answers!.map((a) => a.data)).toEqual(["192.0.2.1"]), 30_000);
    const [record] = added.added;
    const updated = await applyChangeSet(zone.zoneId, { update: [{ id: record.id, version: record.version, record: { name: "d", type: "A", ttl: 60, content: "192.0.2.2" } }] }, TEST_ACTOR);
    await eventually(async () => expect((await query(ns.port, name, "A")).answers!.map((a) => [a.data, a.ttl])).toEqual([["192.0.2.2", 60]]), 30_000);
    await applyChangeSet(zone.zoneId, { remove: [{ name: "h7", type: "A" }], add: [{ name: "x.y", type: "TXT", content: "ent" }] }, TEST_ACTOR);
    await eventually(async () => expect((await query(ns.port, `h7.${zone.name}`, "A")).rcode).toBe("NXDOMAIN"), 30_000);
    expect((await query(ns.port, `y.${zone.name}`, "A")).rcode).toBe("NOERROR"); // a new empty non-terminal
    const last = await applyChangeSet(zone.zoneId, { remove: [{ id: updated.added[0].id }] }, TEST_ACTOR);
    await eventually(async () => expect(await servedSerial(zone.name)).toBe(last.serial), 30_000);
    expect((await query(ns.port, name, "A")).rcode).toBe("NXDOMAIN");
    expect(wholeLoads(zone.name)).toBe(before);
  }, 120_000);

  it("a change set that also changes the SOA fields (the registry's NS_NAMES sync) is served with them", async () => {
    const before = wholeLoads(zone.name);
    const change = await db().$transaction(async (tx) => {
      const result = await applyChangeSetInTransaction(tx, zone.zoneId, { add: [{ name: "soa-change", type: "A", content: "192.0.2.4" }] }, TEST_ACTOR);
      await tx.zone.update({ where: { id: zone.zoneId }, data: { primaryNs: "a.ns.moved.test", hostmaster: "dns.moved.test" } });
      return result;
    });
    await eventually(async () => expect(await servedSerial(zone.name)).toBe(change.serial), 30_000);
    const soa = (await query(ns.port, zone.name, "SOA")).answers![0].data as { mname: string; rname: string };
    expect([soa.mname, soa.rname]).toEqual(["a.ns.moved.test", "dns.moved.test"]);
    expect(wholeLoads(zone.name)).toBe(before);
  }, 120_000);

  it("loads the zone whole when the journal has a gap (a serial changed without a journal entry)", async () => {
    const before = wholeLoads(zone.name);
    const { serial } = await db().zone.findUniqueOrThrow({ where: { id: zone.zoneId }, select: { serial: true } });
    const jumped = Number(serial) + 1000;
    await db().$executeRaw`UPDATE "Zone" SET serial = ${BigInt(jumped)} WHERE id = ${zone.zoneId}`;
    await db().$executeRaw`SELECT pg_notify('zone_changed', ${`${zone.zoneId}:${jumped}`})`;
    await eventually(async () => expect(await servedSerial(zone.name)).toBe(jumped), 30_000);
    expect(wholeLoads(zone.name)).toBe(before + 1);
    // Compared with what was served rather than built again: the records are the same.
    expect(ns.output()).toContain(`zone ${zone.name}: loaded whole at serial ${jumped}`);
    expect(ns.output().split("\n").find((l) => l.includes(`loaded whole at serial ${jumped}`))).toContain("0 added, 0 removed");
    const txt = (await query(ns.port, `quoted.${zone.name}`, "TXT")).answers![0].data as Buffer[];
    expect(Buffer.concat(txt).toString()).toBe('say "hi" \\ back');
    // And follows the journal again from there.
    const next = await applyChangeSet(zone.zoneId, { add: [{ name: "after-gap", type: "A", content: "192.0.2.3" }] }, TEST_ACTOR);
    await eventually(async () => expect(await servedSerial(zone.name)).toBe(next.serial), 30_000);
    expect(wholeLoads(zone.name)).toBe(before + 1);
  }, 120_000);

  it("loads the zone whole for a change set too big to apply in place (an import), still one serial", async () => {
    const before = wholeLoads(zone.name);
    const big = Array.from({ length: DELTA_MAX_RECORDS + 1 }, (_, i) => ({ name: `import${i}`, type: "TXT", ttl: 300, content: `row ${i}` }));
    const change = await applyChangeSet(zone.zoneId, { add: big }, TEST_ACTOR);
    await eventually(async () => expect(await servedSerial(zone.name)).toBe(change.serial), 60_000);
    expect(wholeLoads(zone.name)).toBe(before + 1);
    expect((await query(ns.port, `import${DELTA_MAX_RECORDS}.${zone.name}`, "TXT")).answers).toHaveLength(1);
  }, 180_000);

  it("loads the zone whole when what is served changes without a new serial (NOTIFY serial 0)", async () => {
    const before = wholeLoads(zone.name);
    await db().$executeRaw`SELECT pg_notify('zone_changed', ${`${zone.zoneId}:0`})`;
    await eventually(async () => expect(wholeLoads(zone.name)).toBe(before + 1), 30_000);
  }, 60_000);
});
