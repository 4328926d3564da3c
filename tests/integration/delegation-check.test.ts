// The delegation check, the pre-flight and the stub client against real servers on loopback.
//
// A real referral needs a parent server that does NOT also serve the child: our nameserver
// answers a name from the closest zone it holds, so a parent and child in one database would
// be answered from the child (AA=1). Hence two databases on the suite's PostgreSQL:
//
//   database "parent" (made here)      nameserver B: the parent zone P = p<unique>.example
//       P  NS ns.P (+ A 127.0.0.1)     its own server, found through B when parent is null
//       ok        NS ns1/ns2.example.net   our NS_NAMES, no glue (out of domain)
//       glue      NS ns1.glue.P   + glue 127.0.0.1
//       badglue   NS ns1.badglue.P + glue 127.0.0.1 (the zone says 127.0.0.2)
//       noglue    NS ns1.noglue.P, no glue
//       lame      NS ns1/ns2.example.net + silent.example.org (a socket that never answers)
//       refused   NS ns1/ns2.example.net, zone hosted nowhere
//       deep.sub  NS ns1/ns2.example.net (sub.P is an empty non-terminal)
//   the suite's database               nameservers A1 and A2: the child zones (factories)
//
// knownHosts maps ns1.example.net to A1, ns2.example.net to A2, ns.P to B and
// silent.example.org to the silent socket; names found through glue use defaultPort = A1's.
import dgram from "node:dgram";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import dnsPacket, { type Packet } from "dns-packet";
import pg from "pg";
import { createDb, type Db } from "../../lib/db/client.ts";
import { applyMigrations } from "../../lib/db/migrate.ts";
import { hostingConfig } from "../../lib/config.ts";
import { createHostedDomain } from "../../lib/domains.ts";
import { applyChangeSet } from "../../lib/zone/change-set.ts";
import type { RecordInput } from "../../lib/records/record-input.ts";
import { queryServer, resolveAddresses, type ServerEndpoint } from "../../lib/dns/stub-client.ts";
import { checkDelegation, type DelegationCheckInput } from "../../lib/registrar/delegation-check.ts";
import { preflightNameservers } from "../../lib/registrar/preflight.ts";
import { createZone, TEST_ACTOR, uniqueLabel } from "../helpers/factories.ts";
import { startNameserver, type NameserverProcess } from "../helpers/nameserver-process.ts";

const LOOPBACK = "127.0.0.1";
const OURS = hostingConfig().nameservers; // ns1.example.net, ns2.example.net unless NS_NAMES is set
const P = `${uniqueLabel("p")}.example`;
const n = (label: string) => `${label}.${P}`;

let parentDbName: string;
let parentDb: Db;
let a1: NameserverProcess;
let a2: NameserverProcess;
let b: NameserverProcess;
let silent: dgram.Socket;
let silentPort: number;
const zones: Record<string, { serial: number }> = {};

const at = (port: number): ServerEndpoint => ({ address: LOOPBACK, port });

function knownHosts(hostname: string): ServerEndpoint[] | undefined {
  if (hostname === OURS[0]) return [at(a1.port)];
  if (hostname === OURS[1]) return [at(a2.port)];
  if (hostname === n("ns")) return [at(b.port)];
  if (hostname === "silent.example.org") return [at(silentPort)];
  return undefined;
}

/** The check as the panel will run it, against parent server B unless told otherwise. */
function check(label: string, overrides: Partial<DelegationCheckInput> = {}) {
  return checkDelegation({
    domain: n(label),
    parent: { zone: P, servers: [{ name: n("ns"), ...at(b.port) }] },
    knownHosts,
    ourNameservers: OURS,
    resolver: at(a1.port),
    defaultPort: a1.port,
    timeoutMs: 1000,
    ...overrides,
  });
}

/** A child zone in the suite's database, its apex NS replaced when `ns` is given. */
async function child(label: string, records: RecordInput[] = [], ns?: string[]) {
  const zone = await createZone(records, { name: n(label) });
  if (!ns) return (zones[label] = zone);
  const change = await applyChangeSet(zone.zoneId, {
    remove: [{ name: "@", type: "NS" }],
    add: ns.map((target) => ({ name: "@", type: "NS", ttl: 3600, content: `${target}.` })),
  }, TEST_ACTOR);
  return (zones[label] = { ...zone, serial: change.serial });
}

async function createParentDatabase(): Promise<string> {
  const base = process.env.DATABASE_URL!;
  parentDbName = `parent_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${parentDbName}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${parentDbName}`;
  await applyMigrations(url.toString());
  return url.toString();
}

beforeAll(async () => {
  const parentUrl = await createParentDatabase();
  parentDb = createDb(parentUrl, 2);
  const tenant = await parentDb.tenant.create({ data: { slug: uniqueLabel("registry-"), name: "registry" } });
  const { zoneId } = await createHostedDomain({ tenantId: tenant.id, name: P }, TEST_ACTOR, parentDb);
  const ns = (label: string, ...targets: string[]) => targets.map((t) => ({ name: label, type: "NS", ttl: 3600, content: `${t}.` }));
  const a = (label: string, address: string) => ({ name: label, type: "A", ttl: 3600, content: address });
  await applyChangeSet(zoneId, {
    remove: [{ name: "@", type: "NS" }],
    add: [
      ...ns("@", n("ns")),
      a("ns", LOOPBACK),
      ...ns("ok", ...OURS),
      ...ns("glue", n("ns1.glue")),
      a("ns1.glue", LOOPBACK),
      ...ns("badglue", n("ns1.badglue")),
      a("ns1.badglue", LOOPBACK),
      ...ns("noglue", n("ns1.noglue")),
      ...ns("lame", ...OURS, "silent.example.org"),
      ...ns("refused", ...OURS),
      ...ns("deep.sub", ...OURS),
    ],
  }, TEST_ACTOR, parentDb);

  await child("ok", [
    { name: "www", type: "A", ttl: 300, content: "192.0.2.80" },
    // 40 TXT records of ~200 bytes: far more than the 1232-byte EDNS payload, so TC=1 over UDP.
    ...Array.from({ length: 40 }, (_, i) => ({ name: "big", type: "TXT", ttl: 300, content: `${i} ${"x".repeat(200)}` })),
  ]);
  await child("glue", [{ name: "ns1", type: "A", ttl: 300, content: LOOPBACK }], [n("ns1.glue")]);
  await child("badglue", [{ name: "ns1", type: "A", ttl: 300, content: "127.0.0.2" }], [n("ns1.badglue")]);
  await child("noglue", [{ name: "ns1", type: "A", ttl: 300, content: LOOPBACK }], [n("ns1.noglue")]);
  await child("lame");
  await child("deep.sub");

  silent = dgram.createSocket("udp4"); // receives queries and never answers
  await new Promise<void>((resolve) => silent.bind(0, LOOPBACK, () => resolve()));
  silentPort = silent.address().port;
  // Started after the zones exist, so they are loaded at startup (no waiting for NOTIFY).
  [a1, a2, b] = await Promise.all([startNameserver(), startNameserver(), startNameserver({ databaseUrl: parentUrl })]);
});

afterAll(async () => {
  await Promise.all([a1?.stop(), a2?.stop(), b?.stop()]);
  silent?.close();
  await parentDb?.$disconnect();
  if (parentDbName) {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${parentDbName}" WITH (FORCE)`);
    await admin.end();
  }
});

describe("checkDelegation against real servers", () => {
  it("follows a referral to our nameservers: no findings, usesOurs, the zone's serial everywhere", async () => {
    const result = await check("ok");
    expect(result.findings).toEqual([]);
    expect(result.usesOurs).toBe(true);
    expect(result.parent).toMatchObject({ zone: P, source: "given", ns: OURS, glue: [] });
    expect(result.parent.servers).toMatchObject([{ name: n("ns"), outcome: "referral", aa: false, rcode: "NOERROR", ns: OURS }]);
    expect(result.nameservers).toMatchObject(
      OURS.map((name, i) => ({
        name,
        inDomain: false,
        addressSource: "known",
        addresses: [{ address: LOOPBACK, port: [a1, a2][i].port, outcome: "ok", aa: true, serial: zones.ok.serial, ns: OURS }],
      })),
    );
    // Plain JSON: survives a round trip unchanged (stored in the database, sent to the browser).
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    expect(Number.isNaN(Date.parse(result.checkedAt))).toBe(false);
  });

  it("uses glue for an in-domain nameserver and finds it matching the zone", async () => {
    const result = await check("glue");
    expect(result.findings).toEqual([]);
    expect(result.usesOurs).toBe(false);
    expect(result.parent.glue).toEqual([{ name: n("ns1.glue"), addresses: [LOOPBACK] }]);
    expect(result.nameservers).toMatchObject([
      { name: n("ns1.glue"), inDomain: true, addressSource: "glue", addresses: [{ outcome: "ok", port: a1.port, hosts: [{ name: n("ns1.glue"), addresses: [LOOPBACK] }] }] },
    ]);
  });

  it("glue-mismatch: the parent's glue differs from the address in the zone", async () => {
    const result = await check("badglue");
    expect(result.findings.map((f) => f.code)).toEqual(["glue-mismatch"]);
    expect(result.findings[0].message).toContain(`glue for ${n("ns1.badglue")} is 127.0.0.1`);
    expect(result.findings[0].message).toContain("says 127.0.0.2");
  });

  it("glue-missing: an in-domain nameserver without glue, found through the resolver instead", async () => {
    const result = await check("noglue");
    expect(result.findings).toEqual([expect.objectContaining({ code: "glue-missing", severity: "error", host: n("ns1.noglue") })]);
    expect(result.nameservers).toMatchObject([{ name: n("ns1.noglue"), addressSource: "resolver", addresses: [{ address: LOOPBACK, outcome: "ok" }] }]);
  });

  it("a silent nameserver is reported lame, and the check still ends quickly", async () => {
    const started = Date.now();
    const result = await check("lame");
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(5000); // one 1 s timeout, the rest in parallel
    expect(result.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: "nameserver-unreachable", severity: "warning", host: "silent.example.org", message: expect.stringContaining("does not answer (timeout)") }),
        expect.objectContaining({ code: "ns-mismatch", message: expect.stringContaining("only at the parent (registrar): silent.example.org") }),
      ]),
    );
    expect(result.findings).toHaveLength(2);
    expect(result.usesOurs).toBe("partly");
    expect(result.nameservers.find((x) => x.name === "silent.example.org")!.addresses).toMatchObject([{ outcome: "timeout", port: silentPort }]);
  });

  it("nameservers that do not serve the zone (REFUSED) are a lame delegation, an error when none works", async () => {
    const result = await check("refused");
    expect(result.findings).toHaveLength(2);
    for (const [i, f] of result.findings.entries()) {
      expect(f).toMatchObject({ code: "lame-delegation", severity: "error", host: OURS[i], message: expect.stringContaining("answers REFUSED") });
    }
    expect(result.nameservers.flatMap((x) => x.addresses.map((a) => [a.outcome, a.rcode]))).toEqual([["refused", "REFUSED"], ["refused", "REFUSED"]]);
    expect(result.usesOurs).toBe(true); // delegated to us, but we do not host it: the panel shows both
  });

  it("not-delegated: the parent answers NXDOMAIN", async () => {
    const result = await check("nowhere");
    expect(result.findings).toEqual([expect.objectContaining({ code: "not-delegated", severity: "error" })]);
    expect(result.parent.servers).toMatchObject([{ outcome: "nxdomain", rcode: "NXDOMAIN", aa: true }]);
    expect(result.nameservers).toEqual([]);
    expect(result.usesOurs).toBeNull();
  });

  it("a parent server that also serves the child answers authoritatively: its NS set is used, with a note", async () => {
    const result = await check("ok", { parent: { zone: P, servers: [at(a1.port)] } });
    expect(result.parent.servers).toMatchObject([{ outcome: "authoritative", aa: true, ns: OURS }]);
    expect(result.findings.map((f) => [f.code, f.severity])).toEqual([["parent-authoritative", "info"]]);
    expect(result.usesOurs).toBe(true);
  });

  it("parent-unreachable: a silent parent, within one timeout", async () => {
    const started = Date.now();
    const result = await check("ok", { parent: { zone: P, servers: [{ name: "a.nic.example", ...at(silentPort) }] } });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.findings).toEqual([expect.objectContaining({ code: "parent-unreachable", severity: "error", message: expect.stringContaining("a.nic.example (127.0.0.1:") })]);
    expect(result.parent.servers).toMatchObject([{ outcome: "timeout" }]);
  });

  it("parent-server-unreachable: one silent parent server beside one that refers", async () => {
    const started = Date.now();
    const result = await check("ok", { parent: { zone: P, servers: [{ name: n("ns"), ...at(b.port) }, { name: "b.nic.example", ...at(silentPort) }] } });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.findings).toEqual([expect.objectContaining({ code: "parent-server-unreachable", severity: "warning", host: "b.nic.example" })]);
    expect(result.usesOurs).toBe(true);
  });

  it("finds the parent's servers through the resolver when parent is null", async () => {
    const result = await check("ok", { parent: null, resolver: at(b.port) });
    expect(result.parent).toMatchObject({ zone: P, source: "resolver", servers: [{ name: n("ns"), address: LOOPBACK, port: b.port, outcome: "referral" }] });
    expect(result.findings).toEqual([]);
    expect(result.usesOurs).toBe(true);
  });

  it("walks up past a name that is no zone apex to find the parent zone", async () => {
    const result = await check("deep.sub", { parent: null, resolver: at(b.port) });
    expect(result.parent.zone).toBe(P);
    expect(result.parent.servers).toMatchObject([{ outcome: "referral", ns: OURS }]);
    expect(result.findings).toEqual([]);
  });

  it("parent-unknown: the resolver does not know the parent zone", async () => {
    const result = await check("ok", { domain: `x.${uniqueLabel("gone")}.example`, parent: null, resolver: at(a1.port) });
    expect(result.findings).toEqual([expect.objectContaining({ code: "parent-unknown", severity: "error" })]);
    expect(result.parent.servers).toEqual([]);
  });
});

describe("preflightNameservers", () => {
  it("all ready: every host answers authoritatively with the SOA", async () => {
    const result = await preflightNameservers({ domain: n("ok"), hosts: OURS.map((name) => ({ name })), knownHosts, resolver: null });
    expect(result.allAuthoritative).toBe(true);
    expect(result.hosts).toMatchObject(OURS.map((name) => ({ name, outcome: "ok", addressSource: "known", serial: zones.ok.serial, ns: OURS })));
    expect(result.summary).toBe(`All 2 nameservers answer authoritatively for ${n("ok")} (serial ${zones.ok.serial}).`);
    expect(result.hosts[0].message).toBe(`answers authoritatively for ${n("ok")} (serial ${zones.ok.serial})`);
  });

  it("uses the addresses the user gave (glue for a new in-domain nameserver)", async () => {
    const result = await preflightNameservers({
      domain: n("glue"),
      hosts: [{ name: `${n("ns1.glue")}.`, addresses: [LOOPBACK] }],
      resolver: null,
      defaultPort: a1.port,
    });
    expect(result.allAuthoritative).toBe(true);
    expect(result.hosts).toMatchObject([{ name: n("ns1.glue"), addressSource: "given", outcome: "ok", addresses: [{ hosts: [{ name: n("ns1.glue"), addresses: [LOOPBACK] }] }] }]);
  });

  it("not ready: says why per host (REFUSED, timeout, no address)", async () => {
    const started = Date.now();
    const result = await preflightNameservers({
      domain: n("refused"),
      hosts: [{ name: OURS[0] }, { name: "silent.example.org" }, { name: "nohost.invalid" }],
      knownHosts,
      resolver: at(a1.port),
      timeoutMs: 1000,
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.allAuthoritative).toBe(false);
    expect(result.hosts.map((h) => [h.name, h.outcome])).toEqual([
      [OURS[0], "refused"],
      ["silent.example.org", "timeout"],
      ["nohost.invalid", "no-address"],
    ]);
    // Each message goes beside its host name; the summary puts them together.
    expect(result.hosts.map((h) => h.message)).toEqual([
      expect.stringMatching(/^refuses refused\..* \(REFUSED\)/),
      "does not answer (timeout)",
      expect.stringMatching(/^has no address \(resolver 127\.0\.0\.1:\d+ answered REFUSED for nohost\.invalid\)$/),
    ]);
    expect(result.summary).toMatch(/^3 of 3 not ready for .*: ns1\.example\.net refuses .*REFUSED.*; silent\.example\.org does not answer \(timeout\); nohost\.invalid has no address/);
  });
});

describe("the stub client", () => {
  it("falls back to TCP when the UDP answer is truncated", async () => {
    const reply = await queryServer(at(a1.port), n("big.ok"), "TXT");
    expect(reply).toMatchObject({ ok: true, rcode: "NOERROR", aa: true, tc: false, transport: "tcp" });
    expect(reply.ok && reply.answers).toHaveLength(40);
  });

  it("returns names lowercased without the trailing dot, whatever the case asked", async () => {
    const reply = await queryServer(at(a1.port), `WWW.${n("ok").toUpperCase()}.`, "A");
    expect(reply).toMatchObject({ ok: true, transport: "udp", answers: [{ name: n("www.ok"), type: "A", data: "192.0.2.80" }] });
  });

  it("resolves addresses through a resolver (RD=1), and reports a name that does not resolve", async () => {
    expect(await resolveAddresses(n("ns1.glue"), at(a1.port))).toEqual({ addresses: [LOOPBACK] });
    const missing = await resolveAddresses(n("nothing.glue"), at(a1.port));
    expect(missing.addresses).toEqual([]);
    expect(missing.error).toContain("NXDOMAIN");
  });

  it("resolves through the system's resolver without throwing, within its timeout", async () => {
    const started = Date.now();
    const result = await resolveAddresses("nothing-here.invalid", null, { timeoutMs: 500 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.addresses).toEqual([]);
    expect(result.error).toBeTruthy();
  });

  it("ignores datagrams that are not the reply to its query, and takes the one that is", async () => {
    const fake = await fakeServer("udp4", LOOPBACK, (query, send) => {
      const q = query.questions![0];
      const answer = (id: number, name: string) =>
        dnsPacket.encode({ type: "response", id, flags: dnsPacket.AUTHORITATIVE_ANSWER, questions: [{ ...q, name }], answers: [{ type: "A", name, ttl: 60, data: "192.0.2.7" }] } as Packet);
      send(answer((query.id! + 1) & 0xffff, q.name)); // wrong id
      send(answer(query.id!, "other.example")); // right id, wrong question
      send(Buffer.from(dnsPacket.encode({ type: "query", id: query.id, questions: [q] } as Packet))); // QR=0
      send(answer(query.id!, q.name));
    });
    try {
      const reply = await queryServer(fake.endpoint, "host.example", "A", { timeoutMs: 2000 });
      expect(reply).toMatchObject({ ok: true, aa: true, answers: [{ name: "host.example", data: "192.0.2.7" }] });
    } finally {
      fake.close();
    }
  });

  it("returns the truncated UDP reply with the TCP error when the TCP retry fails", async () => {
    const fake = await fakeServer("udp4", LOOPBACK, (query, send) =>
      send(dnsPacket.encode({ type: "response", id: query.id, flags: dnsPacket.TRUNCATED_RESPONSE | dnsPacket.AUTHORITATIVE_ANSWER, questions: query.questions } as Packet)),
    );
    try {
      // Nothing listens on the fake's port over TCP: the connection is refused.
      const reply = await queryServer(fake.endpoint, "host.example", "TXT", { timeoutMs: 1000 });
      expect(reply).toMatchObject({ ok: true, tc: true, transport: "udp", answers: [], tcpError: expect.stringContaining("refused") });
    } finally {
      fake.close();
    }
  });

  it("reports an unreadable reply as malformed once the time is up", async () => {
    const fake = await fakeServer("udp4", LOOPBACK, (query, send) => {
      const junk = Buffer.alloc(20, 0xff);
      junk.writeUInt16BE(query.id!, 0);
      send(junk);
    });
    try {
      expect(await queryServer(fake.endpoint, "host.example", "A", { timeoutMs: 300 })).toMatchObject({ ok: false, error: "malformed" });
    } finally {
      fake.close();
    }
  });

  it("reports a closed port as unreachable at once, and a silent server as a timeout", async () => {
    const closed = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => closed.bind(0, LOOPBACK, () => resolve()));
    const port = closed.address().port;
    closed.close();
    expect(await queryServer(at(port), "host.example", "A")).toMatchObject({ ok: false, error: "unreachable" });
    expect(await queryServer(at(silentPort), "host.example", "A", { timeoutMs: 200 })).toMatchObject({ ok: false, error: "timeout" });
    expect(await queryServer({ address: "ns1.example.net", port: 53 }, "host.example", "A")).toMatchObject({ ok: false, error: "invalid" });
  });

  // Needs the IPv6 loopback (::1), which this machine and CI have; without it this fails, not skips.
  it("talks to IPv6 servers", async () => {
    const fake = await fakeServer("udp6", "::1", (query, send) =>
      send(dnsPacket.encode({ type: "response", id: query.id, flags: dnsPacket.AUTHORITATIVE_ANSWER, questions: query.questions, answers: [{ type: "AAAA", name: "host.example", ttl: 60, data: "2001:DB8:0:0::1" }] } as Packet)),
    );
    try {
      const reply = await queryServer(fake.endpoint, "host.example", "AAAA");
      expect(reply).toMatchObject({ ok: true, answers: [{ data: "2001:db8::1" }] });
    } finally {
      fake.close();
    }
  });
});

/** A UDP server on loopback that hands each decoded query to `respond`. */
async function fakeServer(type: "udp4" | "udp6", address: string, respond: (query: Packet, send: (reply: Buffer) => void) => void) {
  const socket = dgram.createSocket(type);
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(0, address, () => resolve());
  });
  socket.on("message", (msg, rinfo) => respond(dnsPacket.decode(msg), (reply) => socket.send(reply, rinfo.port, rinfo.address)));
  return { endpoint: { address, port: socket.address().port }, close: () => socket.close() };
}
