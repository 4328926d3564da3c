// End to end with a real recursive resolver: unbound, with our registry as the authority for a
// TLD (a stub zone pointing at the registry's address), resolves www.<domain> by following the
// delegation to our hosting nameserver; after a switch to external nameservers (nsd serving a
// different answer) it resolves there; after switching back, ours again. The delegation check
// runs against the same setup and reports a lame server when the external one is stopped.
//
// A resolver follows referrals to port 53 only, so each server listens on port 53 of its own
// loopback address (tests run as root, here and in CI):
//   127.0.0.60 unbound        127.0.0.61 our registry (REGISTRY_DNS_ADDRESS)
//   127.0.0.62 nsd (external) 127.0.0.63 our hosting nameserver (DNS_ADDRESS)
// Our nameserver names live inside the TLD (ns1/ns2.dns.<tld>): their addresses come from
// NS_ADDRESSES and reach resolvers as glue in the parent zone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db/client.ts";
import { addTld } from "../../lib/registry/tlds.ts";
import { registerDomainFor, switchNameservers } from "../../lib/registrar/domains.ts";
import { checkAndStore } from "../../lib/registrar/overview.ts";
import { applyChangeSet } from "../../lib/zone/change-set.ts";
import { query } from "../helpers/dns-client.ts";
import { startNsd, startUnbound, type Peer, type Resolver } from "../helpers/dns-peers.ts";
import { createTenant, TEST_ACTOR, uniqueLabel } from "../helpers/factories.ts";
import { eventually, startNameserver, type NameserverProcess } from "../helpers/nameserver-process.ts";

const RESOLVER = "127.0.0.60";
const REGISTRY = "127.0.0.61";
const EXTERNAL = "127.0.0.62";
const HOSTING = "127.0.0.63";

const tld = uniqueLabel("e2e");
const domain = `shop.${tld}`;
const ourNs = [`ns1.dns.${tld}`, `ns2.dns.${tld}`];
// Set before anything reads the configuration: this file runs in its own worker process.
Object.assign(process.env, {
  NS_NAMES: ourNs.join(","),
  NS_ADDRESSES: ourNs.map((n) => `${n}=${HOSTING}`).join(","),
  DNS_ADDRESS: HOSTING,
  REGISTRY_DNS_ADDRESS: REGISTRY,
  DNS_PORT: "53",
  // Short delegation TTLs keep resolvers' caches small; the tests flush unbound anyway.
  REGISTRY_DELEGATION_TTL: "60",
});

let nameserver: NameserverProcess;
let unbound: Resolver;
let nsd: Peer | null = null;

/** What unbound resolves www.<domain> to, asked from scratch (its cache for the domain flushed). */
async function resolveWww(): Promise<string[]> {
  unbound.flush(domain);
  const reply = await query(53, `www.${domain}`, "A", { host: RESOLVER, rd: true, timeoutMs: 5000 });
  return reply.answers.filter((a) => a.type === "A").map((a) => a.data as string);
}

beforeAll(async () => {
  await addTld(tld);
  nameserver = await startNameserver({
    env: { DNS_ADDRESS: HOSTING, REGISTRY_DNS_ADDRESS: REGISTRY, DNS_PORT: "53", NAMESERVER_ID: `resolver-e2e-${tld}`, NS_NAMES: process.env.NS_NAMES!, NS_ADDRESSES: process.env.NS_ADDRESSES! },
  });
  unbound = await startUnbound({ address: RESOLVER, stubZone: tld, stubAddress: REGISTRY });
}, 120_000);

afterAll(async () => {
  await nsd?.stop();
  await unbound?.stop();
  await nameserver?.stop();
});

describe("a real resolver follows our delegation", { timeout: 120_000 }, () => {
  it("resolves through the registry to our nameserver, to the external one after a switch, and to ours again", async () => {
    const tenant = await createTenant();
    await registerDomainFor({ tenantId: tenant.id, name: domain, years: 1 }, TEST_ACTOR);
    const zone = await db().zone.findUniqueOrThrow({ where: { name: domain } });
    await applyChangeSet(zone.id, { add: [{ name: "www", type: "A", ttl: 60, content: "192.0.2.10" }] }, TEST_ACTOR);

    // The registry refers (AA=0) with our nameservers and their glue; unbound follows it to us.
    // (The nameserver serves a registry change within milliseconds; wait for it, do not assume.)
    await eventually(async () => {
      const referral = await query(53, `www.${domain}`, "A", { host: REGISTRY });
      expect(referral.aa).toBe(false);
      expect(referral.authorities.map((r) => r.data).sort()).toEqual(ourNs);
      expect(referral.additionals.filter((r) => r.type === "A").map((r) => `${r.name} ${r.data}`).sort()).toEqual(ourNs.map((n) => `${n} ${HOSTING}`));
    }, 20_000);
    await eventually(async () => expect(await resolveWww()).toEqual(["192.0.2.10"]), 20_000, 200);

    // The delegation check, as dig +trace: parent -> our nameservers -> our zone.
    const healthy = await checkAndStore({ id: zone.domainId!, name: domain });
    expect(healthy.usesOurs).toBe(true);
    expect(healthy.parent.ns).toEqual(ourNs);
    expect(healthy.findings.filter((f) => f.severity !== "info")).toEqual([]);

    // An external provider (nsd) serves the domain with another answer, on its own nameserver
    // names inside the domain (so the registry publishes their glue).
    const external = [`ns1.${domain}`, `ns2.${domain}`];
    nsd = await startNsd({
      address: EXTERNAL,
      zone: domain,
      zoneFile: [
        `$ORIGIN ${domain}.`,
        `$TTL 60`,
        `@ IN SOA ns1.${domain}. hostmaster.${domain}. 1 3600 600 86400 60`,
        `@ IN NS ns1.${domain}.`,
        `@ IN NS ns2.${domain}.`,
        `ns1 IN A ${EXTERNAL}`,
        `ns2 IN A ${EXTERNAL}`,
        `www IN A 192.0.2.99`,
        "",
      ].join("\n"),
    });

    // No force: the pre-flight asks nsd for the zone's SOA and NS, and it answers authoritatively.
    const away = await switchNameservers(domain, { ours: false, hosts: external.map((name) => ({ name, addresses: [EXTERNAL] })) }, { actor: TEST_ACTOR });
    expect(away.preflight?.allAuthoritative).toBe(true);
    await eventually(async () => {
      const newReferral = await query(53, `www.${domain}`, "A", { host: REGISTRY });
      expect(newReferral.authorities.map((r) => r.data).sort()).toEqual(external);
    }, 20_000);
    // Our hosting copy still answers (the hand-over), but the resolver follows the new delegation.
    expect((await query(53, `www.${domain}`, "A", { host: HOSTING })).answers.map((a) => a.data)).toEqual(["192.0.2.10"]);
    await eventually(async () => expect(await resolveWww()).toEqual(["192.0.2.99"]), 20_000, 200);

    const elsewhere = await checkAndStore({ id: zone.domainId!, name: domain });
    expect(elsewhere.usesOurs).toBe(false);
    expect(elsewhere.parent.ns).toEqual(external);
    expect(elsewhere.nameservers.flatMap((n) => n.addresses.map((a) => a.outcome))).toEqual(["ok", "ok"]);
    expect(elsewhere.findings.filter((f) => f.severity === "error")).toEqual([]);

    // The external server stops: the check reports the delegation as lame.
    await nsd.stop();
    nsd = null;
    const lame = await checkAndStore({ id: zone.domainId!, name: domain });
    // Nothing listens on 127.0.0.62:53 any more: "unreachable" (ICMP) or "timeout", both lame.
    for (const outcome of lame.nameservers.flatMap((n) => n.addresses.map((a) => a.outcome))) expect(["unreachable", "timeout"]).toContain(outcome);
    const lameFindings = lame.findings.filter((f) => f.code === "nameserver-unreachable" || f.code === "lame-delegation");
    expect(lameFindings.map((f) => f.host).sort()).toEqual(external);
    for (const f of lameFindings) expect(f).toMatchObject({ severity: "error", message: expect.stringMatching(/lame delegation/) });

    // Back to our nameservers: nothing was lost, the resolver gets our answer again.
    await switchNameservers(domain, { ours: true }, { actor: TEST_ACTOR });
    await eventually(async () => expect(await resolveWww()).toEqual(["192.0.2.10"]), 20_000, 200);
  });
});
