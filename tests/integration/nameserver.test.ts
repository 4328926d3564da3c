// The real nameserver process, over real UDP and TCP sockets on loopback.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db/client.ts";
import { applyChangeSet } from "../../lib/zone/change-set.ts";
import { buildQuery, decodeReply, query, sendTcp, sendUdp, soaSerial } from "../helpers/dns-client.ts";
import { createTenant, createZone, TEST_ACTOR, uniqueLabel } from "../helpers/factories.ts";
import { eventually, startNameserver, type NameserverProcess } from "../helpers/nameserver-process.ts";

let ns: NameserverProcess;
let zone: Awaited<ReturnType<typeof createZone>>;
let other: Awaited<ReturnType<typeof createZone>>;
/** A zone with a very short name, so 12 MX records fit in 512 bytes without name compression. */
let mxZone: Awaited<ReturnType<typeof createZone>>;

beforeAll(async () => {
  const name = `${uniqueLabel("ns")}.test`;
  other = await createZone([{ name: "target", type: "A", ttl: 300, content: "192.0.2.200" }]);
  mxZone = await createZone([
    ...Array.from({ length: 12 }, (_, i) => ({ name: "@", type: "MX", ttl: 300, content: `10 m${i}` })),
    ...Array.from({ length: 12 }, (_, i) => ({ name: `m${i}`, type: "A", ttl: 300, content: `192.0.2.${i + 1}` })),
    ...Array.from({ length: 12 }, (_, i) => ({ name: `m${i}`, type: "AAAA", ttl: 300, content: `2001:db8::${i + 1}` })),
  ], { name: `${randomBytes(3).toString("hex")}.t` });
  zone = await createZone([
    { name: "@", type: "A", ttl: 300, content: "192.0.2.1" },
    { name: "@", type: "MX", ttl: 300, content: "10 mail" },
    { name: "mail", type: "A", ttl: 300, content: "192.0.2.25" },
    { name: "www", type: "CNAME", ttl: 300, content: "web" },
    { name: "web", type: "A", ttl: 300, content: "192.0.2.80" },
    { name: "x.deep", type: "TXT", ttl: 300, content: "deep" },
    { name: "*.wild", type: "A", ttl: 300, content: "192.0.2.99" },
    { name: "sub", type: "NS", ttl: 300, content: `ns1.sub.${name}.` },
    { name: "ns1.sub", type: "A", ttl: 300, content: "192.0.2.53" },
    { name: "cross", type: "CNAME", ttl: 300, content: `target.${other.name}.` },
    { name: "@", type: "CAA", ttl: 300, content: '0 issue "letsencrypt.org"' },
    { name: "@", type: "CAA", ttl: 300, content: '128 iodef "mailto:security@example.net"' },
    { name: "_sip._tcp", type: "SRV", ttl: 300, content: "10 20 5060 sip" },
    { name: "sip", type: "AAAA", ttl: 300, content: "2001:db8::5060" },
    { name: "1.2", type: "PTR", ttl: 300, content: "host.example.net." },
    // 4 TXT records of ~240 bytes on the wire: about 1000 bytes, between 512 and 1232.
    ...Array.from({ length: 4 }, (_, i) => ({ name: "medium", type: "TXT", ttl: 300, content: `${i} ${"y".repeat(200)}` })),
    // 40 TXT records of ~200 bytes: far more than 512 bytes, and than 1232.
    ...Array.from({ length: 40 }, (_, i) => ({ name: "big", type: "TXT", ttl: 300, content: `${i} ${"x".repeat(200)}` })),
  ], { name });
  // Not minimal: these tests are about the additional section of MX and SRV answers too.
  ns = await startNameserver({ env: { DNS_TCP_IDLE_MS: "500", DNS_MINIMAL_RESPONSES: "no" } });
});
afterAll(async () => ns?.stop());

const n = (label: string) => (label === "@" ? zone.name : `${label}.${zone.name}`);

describe("nameserver over UDP", () => {
  it("answers authoritatively with the zone's serial", async () => {
    const r = await query(ns.port, n("@"), "A");
    expect(r.rcodeValue).toBe(0);
    expect(r.aa).toBe(true);
    expect(r.answers!.map((a) => a.data)).toEqual(["192.0.2.1"]);
    expect(soaSerial(await query(ns.port, n("@"), "SOA"))).toBe(zone.serial);
  });

  it("chases CNAMEs, answers wildcards, gives NODATA for empty non-terminals", async () => {
    expect((await query(ns.port, n("www"), "A")).answers!.map((a) => `${a.type} ${a.data}`)).toEqual([`CNAME ${n("web")}`, "A 192.0.2.80"]);
    expect((await query(ns.port, n("anything.wild"), "A")).answers![0]).toMatchObject({ name: n("anything.wild"), data: "192.0.2.99" });
    const ent = await query(ns.port, n("deep"), "A");
    expect(ent.rcodeValue).toBe(0);
    expect(ent.answers).toEqual([]);
    expect(ent.authorities![0]).toMatchObject({ type: "SOA", ttl: 300 });
  });

  it("NXDOMAIN and NODATA carry the SOA with TTL min(SOA TTL, MINIMUM)", async () => {
    const nx = await query(ns.port, n("nope"), "A");
    expect(nx.rcode).toBe("NXDOMAIN");
    expect(nx.aa).toBe(true);
    expect(nx.authorities).toEqual([expect.objectContaining({ name: zone.name, type: "SOA", ttl: 300 })]);
    const nodata = await query(ns.port, n("mail"), "AAAA");
    expect(nodata.rcode).toBe("NOERROR");
    expect(nodata.authorities![0].type).toBe("SOA");
  });

  it("answers referrals below a delegation without AA, with glue", async () => {
    const r = await query(ns.port, n("host.sub"), "A");
    expect(r.aa).toBe(false);
    expect(r.answers).toEqual([]);
    expect(r.authorities!.map((a) => `${a.type} ${a.data}`)).toEqual([`NS ${n("ns1.sub")}`]);
    expect(r.additionals!.filter((a) => a.type === "A").map((a) => a.data)).toEqual(["192.0.2.53"]);
  });

  it("REFUSED outside our zones and for other classes", async () => {
    expect((await query(ns.port, "example.invalid", "A")).rcode).toBe("REFUSED");
    expect((await query(ns.port, n("@"), "A", { qclass: "CH" })).rcode).toBe("REFUSED");
  });

  it("EDNS: OPT echoed, BADVERS for version 1, no OPT without EDNS", async () => {
    const withEdns = await query(ns.port, n("@"), "A", { edns: { udpPayloadSize: 4096, dnssecOk: true } });
    const opt = withEdns.additionals!.find((a) => a.type === "OPT") as unknown as { udpPayloadSize: number; flag_do: boolean };
    expect(opt).toMatchObject({ udpPayloadSize: 1232, flag_do: true });
    const badvers = await query(ns.port, n("@"), "A", { edns: { version: 1 } });
    expect(badvers.rcodeValue).toBe(16);
    expect(badvers.answers).toEqual([]);
    const plain = await query(ns.port, n("@"), "A", { edns: false });
    expect(plain.additionals!.some((a) => a.type === "OPT")).toBe(false);
  });

  it("sets TC=1 when the answer exceeds 512 bytes (no EDNS) or the EDNS payload size", async () => {
    const small = await query(ns.port, n("big"), "TXT", { edns: false });
    expect(small.tc).toBe(true);
    expect(small.answers).toEqual([]);
    expect(small.raw.length).toBeLessThanOrEqual(512);
    const edns = await query(ns.port, n("big"), "TXT", { edns: { udpPayloadSize: 4096 } });
    expect(edns.tc).toBe(true);
    expect(edns.raw.length).toBeLessThanOrEqual(1232);
    // A medium answer fits in 1232 but not in 512: the advertised size is honoured.
    const mx = await query(ns.port, n("@"), "MX", { edns: { udpPayloadSize: 1232 } });
    expect(mx.tc).toBe(false);
  });

  it("the EDNS payload size is honoured: 512 without EDNS, the advertised size with it", async () => {
    // About 1000 bytes: TC without EDNS and with a 512-byte payload, whole with 1232.
    const plain = await query(ns.port, n("medium"), "TXT", { edns: false });
    expect(plain).toMatchObject({ tc: true, answers: [] });
    const edns512 = await query(ns.port, n("medium"), "TXT", { edns: { udpPayloadSize: 512 } });
    expect(edns512).toMatchObject({ tc: true, answers: [] });
    expect(edns512.raw.length).toBeLessThanOrEqual(512);
    const edns1232 = await query(ns.port, n("medium"), "TXT", { edns: { udpPayloadSize: 1232 } });
    expect(edns1232.tc).toBe(false);
    expect(edns1232.answers).toHaveLength(4);
    expect(edns1232.raw.length).toBeGreaterThan(700);
  });

  it("leaves out additional records that do not fit instead of setting TC (RFC 2181 §9)", async () => {
    const r = await query(ns.port, mxZone.name, "MX", { edns: false });
    expect(r.raw.length).toBeLessThanOrEqual(512);
    expect(r.tc).toBe(false);
    expect(r.answers).toHaveLength(12);
    expect(r.additionals.length).toBeGreaterThan(0);
    expect(r.additionals.length).toBeLessThan(24);
    // Whole RRsets only: the addresses of the exchanges in the answer's order (the order the
    // database returned the MX records in), each exchange's A then AAAA, cut at an RRset boundary.
    const exchanges = r.answers.map((a) => (a.data as { exchange: string }).exchange);
    expect(r.additionals.map((a) => `${a.name} ${a.type}`)).toEqual(exchanges.flatMap((x) => [`${x} A`, `${x} AAAA`]).slice(0, r.additionals.length));
    // Over TCP everything fits.
    expect((await query(ns.port, mxZone.name, "MX", { tcp: true, edns: false })).additionals).toHaveLength(24);
  });

  it("decodes CAA, SRV, PTR and AAAA answers, and chases a CNAME into another zone we serve", async () => {
    const caa = await query(ns.port, n("@"), "CAA");
    expect(caa.answers.map((a) => a.data)).toEqual(expect.arrayContaining([
      expect.objectContaining({ flags: 0, tag: "issue", value: "letsencrypt.org" }),
      expect.objectContaining({ flags: 128, tag: "iodef", value: "mailto:security@example.net", issuerCritical: true }),
    ]));
    expect(caa.answers).toHaveLength(2);
    const srv = await query(ns.port, n("_sip._tcp"), "SRV");
    expect(srv.answers.map((a) => a.data)).toEqual([{ priority: 10, weight: 20, port: 5060, target: n("sip") }]);
    expect(srv.additionals.filter((a) => a.type === "AAAA").map((a) => `${a.name} ${a.data}`)).toEqual([`${n("sip")} 2001:db8::5060`]);
    expect((await query(ns.port, n("1.2"), "PTR")).answers.map((a) => a.data)).toEqual(["host.example.net"]);
    expect((await query(ns.port, n("sip"), "AAAA")).answers.map((a) => a.data)).toEqual(["2001:db8::5060"]);
    const cross = await query(ns.port, n("cross"), "A");
    expect(cross.aa).toBe(true);
    expect(cross.answers.map((a) => `${a.name} ${a.type} ${a.data}`)).toEqual([
      `${n("cross")} CNAME target.${other.name}`,
      `target.${other.name} A 192.0.2.200`,
    ]);
  });

  it("FORMERR for a malformed OPT: two of them, or one outside the additional section (RFC 6891 §6.1.1)", async () => {
    const q = buildQuery(n("@"), "A", { edns: { udpPayloadSize: 1232 } });
    const opt = q.subarray(q.length - 11);
    const twoOpts = Buffer.concat([q, opt]);
    twoOpts.writeUInt16BE(2, 10);
    const inAnswer = Buffer.from(q);
    inAnswer.writeUInt16BE(1, 6);
    inAnswer.writeUInt16BE(0, 10);
    for (const packet of [twoOpts, inAnswer]) {
      const reply = decodeReply((await sendUdp(ns.port, packet))!);
      expect(reply.rcode).toBe("FORMERR");
      expect(reply.answers).toEqual([]);
    }
  });

  it("NOTIMP for unknown opcodes; FORMERR for malformed queries; drops garbage and keeps serving", async () => {
    expect((await query(ns.port, n("@"), "A", { opcode: 2 })).rcode).toBe("NOTIMP");
    const q = buildQuery(n("@"), "A", { edns: false });
    q.writeUInt16BE(2, 4); // two questions announced, one present
    const formerr = await sendUdp(ns.port, q);
    expect(decodeReply(formerr!).rcode).toBe("FORMERR");
    expect(await sendUdp(ns.port, Buffer.from([1, 2, 3]), 300)).toBeNull();
    for (let i = 0; i < 200; i++) await sendUdp(ns.port, Buffer.from(Array.from({ length: 40 }, () => Math.floor(Math.random() * 256))), 5);
    expect((await query(ns.port, n("@"), "A")).answers![0].data).toBe("192.0.2.1");
  });

  it("serves UDP through the batched native transport, and drops datagrams larger than any query", async () => {
    // npm ci builds the addon; falling back to node:dgram here would make the benchmark a lie.
    expect(ns.udpIo).toBe("batch");
    const huge = Buffer.concat([buildQuery(n("@"), "A", { edns: false }), Buffer.alloc(5000)]);
    expect(await sendUdp(ns.port, huge, 300)).toBeNull();
    // Many queries at once fill whole batches; every one is answered, each to its own sender.
    const names = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? n("mail") : i % 3 === 1 ? n("web") : n("nope")));
    const replies = await Promise.all(names.map((name) => query(ns.port, name, "A")));
    expect(replies.map((r) => r.questions[0].name)).toEqual(names);
    expect(replies.filter((r) => r.rcode === "NXDOMAIN")).toHaveLength(100);
  });
});

describe("nameserver with node:dgram (the fallback when the addon is not built)", () => {
  it("answers the same over UDP", async () => {
    const fallback = await startNameserver({ env: { DNS_UDP_IO: "dgram" } });
    try {
      expect(fallback.udpIo).toBe("dgram");
      const r = await query(fallback.port, n("www"), "A");
      expect(r.answers.map((a) => `${a.type} ${a.data}`)).toEqual([`CNAME ${n("web")}`, "A 192.0.2.80"]);
      expect((await query(fallback.port, n("big"), "TXT", { edns: false })).tc).toBe(true);
      expect(await sendUdp(fallback.port, Buffer.from([1, 2, 3]), 200)).toBeNull();
      expect((await query(fallback.port, n("nope"), "A")).rcode).toBe("NXDOMAIN");
    } finally {
      await fallback.stop();
    }
  });
});

describe("nameserver over TCP (RFC 7766)", () => {
  it("answers the full response that UDP truncated", async () => {
    const r = await query(ns.port, n("big"), "TXT", { tcp: true });
    expect(r.tc).toBe(false);
    expect(r.answers).toHaveLength(40);
  });

  it("answers several queries on one connection, in order", async () => {
    const replies = await sendTcp(ns.port, [buildQuery(n("@"), "A"), buildQuery(n("mail"), "A"), buildQuery(n("nope"), "A")]);
    expect(replies.map((r) => decodeReply(r).rcode)).toEqual(["NOERROR", "NOERROR", "NXDOMAIN"]);
    expect(decodeReply(replies[1]).answers![0].data).toBe("192.0.2.25");
  });

  it("closes idle connections", async () => {
    const started = Date.now();
    const replies = await sendTcp(ns.port, [buildQuery(n("@"), "A")], 99, 5000);
    expect(replies).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(4000); // closed by the server (idle 500 ms), not our timeout
  });
});

describe("following the database", () => {
  it("serves an edit with the new serial right after it commits, and reports the serial it serves", async () => {
    const change = await applyChangeSet(zone.zoneId, { add: [{ name: "fresh", type: "A", content: "192.0.2.123" }] }, TEST_ACTOR);
    const r = await eventually(async () => {
      const reply = await query(ns.port, n("fresh"), "A");
      expect(reply.answers!.map((a) => a.data)).toEqual(["192.0.2.123"]);
      return reply;
    }, 2000, 2);
    expect(r.rcode).toBe("NOERROR");
    expect(soaSerial(await query(ns.port, n("@"), "SOA"))).toBe(change.serial);
    await eventually(async () => {
      const served = await db().servedZone.findUnique({ where: { nameserverId_zoneId: { nameserverId: `test-${ns.port}`, zoneId: zone.zoneId } } });
      expect(Number(served?.serial)).toBe(change.serial);
    });
  });

  it("serves a new zone, and stops (REFUSED) when its tenant is suspended", async () => {
    const tenant = await createTenant();
    const other = await createZone([{ name: "@", type: "A", content: "192.0.2.7" }], { tenantId: tenant.id });
    await eventually(async () => expect((await query(ns.port, other.name, "A")).answers![0].data).toBe("192.0.2.7"));
    await db().tenant.update({ where: { id: tenant.id }, data: { status: "suspended" } });
    // Status changes are not record changes; the nameserver notices them on its next resync or NOTIFY.
    await db().$executeRaw`SELECT pg_notify('zone_changed', ${`${other.zoneId}:0`})`;
    await eventually(async () => expect((await query(ns.port, other.name, "A")).rcode).toBe("REFUSED"));
  });

  it("answers dig", () => {
    const out = execFileSync("dig", ["@127.0.0.1", "-p", String(ns.port), n("www"), "A", "+norec", "+time=2", "+tries=1"], { encoding: "utf8" });
    expect(out).toMatch(/status: NOERROR/);
    expect(out).toMatch(/flags: qr aa;/);
    expect(out).toContain("192.0.2.80");
    const tcp = execFileSync("dig", ["@127.0.0.1", "-p", String(ns.port), n("big"), "TXT", "+norec", "+time=2", "+tries=1"], { encoding: "utf8" });
    expect(tcp).toMatch(/ANSWER: 40/); // dig retries over TCP after TC=1
  });
});
