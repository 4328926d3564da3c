// The registry's parent zones and the hosted zones on separate addresses, and the hand-over
// rule with its timer: the real nameserver process over real sockets.
//
// One process listens on three loopback addresses, one per view (nameserver/views.ts):
//   REGISTRY  only in REGISTRY_DNS_ADDRESS: the registry's zones, referrals to child zones
//   HOSTING   only in DNS_ADDRESS: the hosted zones, not the registry's
//   BOTH      in both lists: every zone, the closest enclosing one answering
// Addresses 127.0.0.101-104 are this file's (other files use 127.0.0.1 and 127.0.0.60-69).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db/client.ts";
import { freePort } from "../../lib/db/embedded-postgres.ts";
import { createHostedDomain } from "../../lib/domains.ts";
import { applyChangeSet, notifyZoneChanged } from "../../lib/zone/change-set.ts";
import { dateSerial } from "../../lib/zone/serial.ts";
import { query, soaSerial, type Reply } from "../helpers/dns-client.ts";
import { createTenant, createZone, TEST_ACTOR, uniqueLabel } from "../helpers/factories.ts";
import { eventually, startNameserver, type NameserverProcess } from "../helpers/nameserver-process.ts";

const REGISTRY = "127.0.0.101";
const HOSTING = "127.0.0.102";
const BOTH = "127.0.0.103";

/** A registry TLD as the registry would make it: a platform zone, its RegistryTld, its apex NS. */
async function createRegistryTld() {
  const tld = uniqueLabel("tld");
  const zone = await db().zone.create({
    data: {
      name: tld, tenantId: null, domainId: null, serial: BigInt(dateSerial(new Date())),
      primaryNs: `a.nic.${tld}`, hostmaster: `hostmaster.nic.${tld}`,
    },
  });
  // The RegistryTld row before the first change set: the NOTIFY of that change then loads the
  // zone as a registry zone.
  await db().registryTld.create({ data: { name: tld, zoneId: zone.id } });
  const change = await applyChangeSet(zone.id, {
    add: [
      { name: "@", type: "NS", ttl: 3600, content: `a.nic.${tld}.` },
      { name: "a.nic", type: "A", ttl: 3600, content: "192.0.2.10" },
    ],
  }, TEST_ACTOR);
  return { tld, zoneId: zone.id, serial: change.serial };
}

/** A hosted domain under the TLD, delegated in the parent zone to an in-domain nameserver with glue. */
async function createDelegatedChild(parent: { tld: string; zoneId: string }, tenantId: string, label = uniqueLabel("d")) {
  const name = `${label}.${parent.tld}`;
  const { zoneId, domainId } = await createHostedDomain({ tenantId, name }, TEST_ACTOR);
  const change = await applyChangeSet(zoneId, {
    add: [
      { name: "www", type: "A", ttl: 300, content: "192.0.2.1" },
      { name: "ns1", type: "A", ttl: 300, content: "192.0.2.53" },
    ],
  }, TEST_ACTOR);
  // The delegation: NS at the child's name, glue for the one inside it (RFC 9471: in-domain glue
  // is required in a referral); the other nameserver is out of the TLD and gets none.
  await applyChangeSet(parent.zoneId, {
    add: [
      { name, type: "NS", ttl: 3600, content: `ns1.${name}.` },
      { name, type: "NS", ttl: 3600, content: "ns2.example.net." },
      { name: `ns1.${name}`, type: "A", ttl: 3600, content: "192.0.2.53" },
    ],
  }, TEST_ACTOR);
  return { name, zoneId, domainId, serial: change.serial };
}

let ns: NameserverProcess;
let registry: Awaited<ReturnType<typeof createRegistryTld>>;
let child: Awaited<ReturnType<typeof createDelegatedChild>>;
/** Delegated in the TLD to someone else's nameservers; not hosted here. */
let external: string;
/** A hosted zone outside every registry TLD. */
let unrelated: Awaited<ReturnType<typeof createZone>>;
let tenantId: string;

beforeAll(async () => {
  tenantId = (await createTenant()).id;
  registry = await createRegistryTld();
  child = await createDelegatedChild(registry, tenantId);
  external = `${uniqueLabel("x")}.${registry.tld}`;
  await applyChangeSet(registry.zoneId, { add: [{ name: external, type: "NS", ttl: 3600, content: "ns.elsewhere.example." }] }, TEST_ACTOR);
  registry.serial = Number((await db().zone.findUniqueOrThrow({ where: { id: registry.zoneId } })).serial);
  unrelated = await createZone([{ name: "www", type: "A", ttl: 300, content: "192.0.2.7" }], { tenantId, name: `${uniqueLabel("h")}.${uniqueLabel("o")}` });
  ns = await startNameserver({
    env: {
      DNS_ADDRESS: `${HOSTING},${BOTH}`,
      REGISTRY_DNS_ADDRESS: `${REGISTRY},${BOTH}`,
      DNS_PORT: String(await freePort()),
      // Only the hand-over timer may end a hand-over here, not the periodic resync.
      DNS_RESYNC_INTERVAL_MS: "0",
    },
  });
});
afterAll(async () => ns?.stop());

const at = (host: string, name: string, type: string, opts: { tcp?: boolean } = {}) => query(ns.port, name, type, { host, ...opts });
const records = (rrs: Reply["answers"]) => rrs.filter((r) => r.type !== "OPT").map((r) => `${r.name} ${r.type} ${r.data}`).sort();

/** The referral the TLD gives for the child: AA=0, no answer, the NS in authority, glue in additional. */
function expectReferral(r: Reply) {
  expect(r.rcode).toBe("NOERROR");
  expect(r.aa).toBe(false);
  expect(r.answers).toEqual([]);
  expect(records(r.authorities)).toEqual([`${child.name} NS ns1.${child.name}`, `${child.name} NS ns2.example.net`]);
  expect(records(r.additionals)).toEqual([`ns1.${child.name} A 192.0.2.53`]);
}

describe("startup", () => {
  it("says which address answers which view", () => {
    expect(ns.output()).toMatch(new RegExp(`${REGISTRY.replaceAll(".", "\\.")} answers the registry's zones only`));
    expect(ns.output()).toMatch(new RegExp(`${HOSTING.replaceAll(".", "\\.")} answers hosted zones only`));
    expect(ns.output()).toMatch(new RegExp(`${BOTH.replaceAll(".", "\\.")} answers every zone`));
  });
});

describe("an address only in REGISTRY_DNS_ADDRESS (the TLD's servers)", () => {
  it("refers for a child zone we also host: every qtype at the child's apex, its NS and SOA included", async () => {
    for (const type of ["A", "NS", "SOA", "MX", "TXT", "AAAA"]) expectReferral(await at(REGISTRY, child.name, type));
  });

  it("refers for names below the child, and over TCP too", async () => {
    expectReferral(await at(REGISTRY, `www.${child.name}`, "A"));
    expectReferral(await at(REGISTRY, `a.b.c.${child.name}`, "TXT"));
    expectReferral(await at(REGISTRY, `www.${child.name}`, "A", { tcp: true }));
    expectReferral(await at(REGISTRY, child.name, "NS", { tcp: true }));
  });

  it("answers the TLD's own SOA and NS authoritatively", async () => {
    const soa = await at(REGISTRY, registry.tld, "SOA");
    expect(soa).toMatchObject({ rcode: "NOERROR", aa: true });
    expect(soaSerial(soa)).toBe(registry.serial);
    const nsSet = await at(REGISTRY, registry.tld, "NS");
    expect(nsSet.aa).toBe(true);
    expect(records(nsSet.answers)).toEqual([`${registry.tld} NS a.nic.${registry.tld}`]);
    expect(records(nsSet.additionals)).toEqual([`a.nic.${registry.tld} A 192.0.2.10`]);
  });

  it("answers NXDOMAIN for a name the TLD does not have, and refers for a domain hosted elsewhere", async () => {
    const nx = await at(REGISTRY, `${uniqueLabel("free")}.${registry.tld}`, "A");
    expect(nx).toMatchObject({ rcode: "NXDOMAIN", aa: true });
    expect(nx.authorities.map((a) => `${a.name} ${a.type}`)).toEqual([`${registry.tld} SOA`]);
    const ext = await at(REGISTRY, `www.${external}`, "A");
    expect(ext).toMatchObject({ rcode: "NOERROR", aa: false, answers: [] });
    expect(records(ext.authorities)).toEqual([`${external} NS ns.elsewhere.example`]);
  });

  it("REFUSES a hosted zone outside the registry's TLDs", async () => {
    expect((await at(REGISTRY, `www.${unrelated.name}`, "A")).rcode).toBe("REFUSED");
    expect((await at(REGISTRY, unrelated.name, "SOA")).rcode).toBe("REFUSED");
  });
});

describe("an address only in DNS_ADDRESS (the hosting servers)", () => {
  it("answers the child authoritatively from its own zone", async () => {
    const www = await at(HOSTING, `www.${child.name}`, "A");
    expect(www).toMatchObject({ rcode: "NOERROR", aa: true });
    expect(records(www.answers)).toEqual([`www.${child.name} A 192.0.2.1`]);
    const soa = await at(HOSTING, child.name, "SOA");
    expect(soa.aa).toBe(true);
    expect(soaSerial(soa)).toBe(child.serial);
    // The apex NS are the child's own (our nameservers), not the parent's delegation.
    expect(records((await at(HOSTING, child.name, "NS")).answers)).toEqual([
      `${child.name} NS ns1.example.net`, `${child.name} NS ns2.example.net`,
    ]);
    expect((await at(HOSTING, `www.${child.name}`, "A", { tcp: true })).aa).toBe(true);
    expect(records((await at(HOSTING, `www.${unrelated.name}`, "A")).answers)).toEqual([`www.${unrelated.name} A 192.0.2.7`]);
  });

  it("REFUSES the TLD and everything in it that we do not host", async () => {
    expect((await at(HOSTING, registry.tld, "SOA")).rcode).toBe("REFUSED");
    expect((await at(HOSTING, registry.tld, "NS", { tcp: true })).rcode).toBe("REFUSED");
    expect((await at(HOSTING, `www.${external}`, "A")).rcode).toBe("REFUSED");
    expect((await at(HOSTING, `${uniqueLabel("free")}.${registry.tld}`, "A")).rcode).toBe("REFUSED");
  });
});

describe("an address in both lists", () => {
  it("answers the child from the child zone, the TLD from the TLD zone", async () => {
    const www = await at(BOTH, `www.${child.name}`, "A");
    expect(www.aa).toBe(true);
    expect(records(www.answers)).toEqual([`www.${child.name} A 192.0.2.1`]);
    const childNs = await at(BOTH, child.name, "NS");
    expect(childNs.aa).toBe(true);
    expect(records(childNs.answers)).toEqual([`${child.name} NS ns1.example.net`, `${child.name} NS ns2.example.net`]);
    expect(soaSerial(await at(BOTH, registry.tld, "SOA"))).toBe(registry.serial);
    expect((await at(BOTH, registry.tld, "SOA")).aa).toBe(true);
  });

  it("still refers for a domain delegated elsewhere", async () => {
    const ext = await at(BOTH, `www.${external}`, "A");
    expect(ext).toMatchObject({ aa: false, answers: [] });
    expect(records(ext.authorities)).toEqual([`${external} NS ns.elsewhere.example`]);
  });
});

describe("a record change reaches every view it is in", () => {
  it("a new glue record in the TLD is served on the registry address, a new record in the child on the hosting ones", async () => {
    const other = await createDelegatedChild(registry, tenantId);
    await eventually(async () => expect((await at(REGISTRY, `www.${other.name}`, "A")).authorities.length).toBe(2), 10_000, 50);
    await eventually(async () => expect((await at(HOSTING, `www.${other.name}`, "A")).aa).toBe(true), 10_000, 50);
    await applyChangeSet(other.zoneId, { add: [{ name: "new", type: "A", ttl: 300, content: "192.0.2.9" }] }, TEST_ACTOR);
    for (const host of [HOSTING, BOTH]) {
      await eventually(async () => expect(records((await at(host, `new.${other.name}`, "A")).answers)).toEqual([`new.${other.name} A 192.0.2.9`]), 10_000, 50);
    }
    const referral = await at(REGISTRY, `new.${other.name}`, "A");
    expect(referral.aa).toBe(false);
  });
});

describe("one address, REGISTRY_DNS_ADDRESS unset (the demo)", () => {
  it("answers every zone there: the child from the child zone, the TLD from the TLD zone", async () => {
    const single = await startNameserver({ env: { DNS_ADDRESS: "127.0.0.104", DNS_PORT: String(await freePort()) } });
    try {
      const q = (name: string, type: string) => query(single.port, name, type, { host: "127.0.0.104" });
      expect(single.output()).toMatch(/127\.0\.0\.104 answers every zone/);
      const www = await q(`www.${child.name}`, "A");
      expect(www.aa).toBe(true);
      expect(records(www.answers)).toEqual([`www.${child.name} A 192.0.2.1`]);
      expect((await q(registry.tld, "SOA")).aa).toBe(true);
      expect((await q(`www.${external}`, "A")).aa).toBe(false);
    } finally {
      await single.stop();
    }
  });
});

/** Sets the delegation of a hosted domain and tells the nameservers, as the registry does. */
async function setDelegation(domainId: string, zoneId: string, data: { mode: "hosted" | "external"; hostedUntil: Date | null }) {
  await db().$transaction(async (tx) => {
    await tx.delegation.update({ where: { domainId }, data });
    await notifyZoneChanged(tx, zoneId, 0);
  });
}

describe("the hand-over: a zone switched away is served until Delegation.hostedUntil", () => {
  it("keeps answering until hostedUntil, REFUSES after it (by its timer), answers again when switched back", async () => {
    const moving = await createDelegatedChild(registry, tenantId);
    await eventually(async () => expect((await at(HOSTING, `www.${moving.name}`, "A")).aa).toBe(true), 10_000, 50);

    // Long enough for a busy machine to load the switch before it ends (checked below).
    const hostedUntil = new Date(Date.now() + 8000);
    await setDelegation(moving.domainId, moving.zoneId, { mode: "external", hostedUntil });
    // A change committed after the switch: once it is served, the nameserver has loaded the
    // zone as it is after the switch, and still serves it (the hand-over).
    await applyChangeSet(moving.zoneId, { add: [{ name: "marker", type: "TXT", ttl: 300, content: '"after the switch"' }] }, TEST_ACTOR);
    await eventually(async () => {
      const r = await at(HOSTING, `marker.${moving.name}`, "TXT");
      expect(r).toMatchObject({ rcode: "NOERROR", aa: true });
      expect(r.answers).toHaveLength(1);
    }, 10_000, 50);
    expect(Date.now()).toBeLessThan(hostedUntil.getTime()); // else the test proves nothing: the box is too slow
    expect((await at(BOTH, `www.${moving.name}`, "A")).aa).toBe(true);

    // Then REFUSED, not before hostedUntil (a REFUSED seen earlier fails the check below), by
    // the hand-over timer: the periodic resync is off here.
    await eventually(async () => expect((await at(HOSTING, `www.${moving.name}`, "A")).rcode).toBe("REFUSED"), 20_000, 50);
    expect(Date.now()).toBeGreaterThanOrEqual(hostedUntil.getTime());
    // Where the TLD is served too, the TLD zone is now the closest enclosing zone: it refers, as
    // its delegation records say (the registry changes those; this test did not).
    await eventually(async () => expect((await at(BOTH, `www.${moving.name}`, "A")).aa).toBe(false), 10_000, 50);
    expect((await at(HOSTING, moving.name, "SOA", { tcp: true })).rcode).toBe("REFUSED");
    expect((await at(REGISTRY, `www.${moving.name}`, "A")).aa).toBe(false);

    // Switched back: served again as soon as the NOTIFY is handled.
    await setDelegation(moving.domainId, moving.zoneId, { mode: "hosted", hostedUntil: null });
    for (const host of [HOSTING, BOTH]) {
      await eventually(async () => {
        const r = await at(host, `www.${moving.name}`, "A");
        expect(r).toMatchObject({ rcode: "NOERROR", aa: true });
        expect(records(r.answers)).toEqual([`www.${moving.name} A 192.0.2.1`]);
      }, 10_000, 50);
    }
  });

  it("a hand-over that already ended stops the zone at once; a later end keeps it served", async () => {
    const moving = await createDelegatedChild(registry, tenantId);
    await eventually(async () => expect((await at(HOSTING, `www.${moving.name}`, "A")).aa).toBe(true), 10_000, 50);
    await setDelegation(moving.domainId, moving.zoneId, { mode: "external", hostedUntil: new Date(Date.now() - 1000) });
    await eventually(async () => expect((await at(HOSTING, `www.${moving.name}`, "A")).rcode).toBe("REFUSED"), 10_000, 50);

    // The registry moves the end later (say, a second switch within the hand-over): served again.
    await setDelegation(moving.domainId, moving.zoneId, { mode: "external", hostedUntil: new Date(Date.now() + 3_600_000) });
    await eventually(async () => expect((await at(HOSTING, `www.${moving.name}`, "A")).aa).toBe(true), 10_000, 50);
  });
});
