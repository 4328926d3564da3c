// The RDAP builders (lib/registry/rdap.ts) and WHOIS text (lib/registry/whois.ts) with plain
// data: status mapping (RFC 8056), events, glue only for hosts inside our registry, the
// redacted registrant (RFC 9537), IDN names, DS -> secureDNS.
import { describe, expect, it } from "vitest";
import { dsData, rdapDomain, rdapError, rdapHelp, rdapNameserver, rdapStatus, registryObjectId, type RdapContext } from "../../lib/registry/rdap.ts";
import type { HostInfo, RegistrationInfo } from "../../lib/registry/registry.ts";
import { whoisDomainText, whoisNameserverText } from "../../lib/registry/whois.ts";
import { lookupClientKey, lookupRateLimit } from "../../lib/registry/lookup-limit.ts";
import { parseQueryName } from "../../lib/registry/public-lookup.ts";

const NOW = new Date("2026-06-01T12:00:00.123Z");
const ctx: RdapContext = { baseUrl: "https://panel.example.net", tlds: ["shop", "co.zz"], ourNameservers: ["ns1.example.net", "ns2.example.net"], now: NOW };
const DIGEST = "2bb183af5f22588179a53b0a98631fad1a292118";

function registration(over: Partial<RegistrationInfo> = {}): RegistrationInfo {
  return {
    name: "example.shop",
    tld: "shop",
    status: "active",
    statuses: ["clientTransferProhibited"],
    registeredAt: new Date("2026-05-01T10:00:00Z"),
    expiresAt: new Date("2027-05-01T10:00:00Z"),
    graceEndsAt: new Date("2027-05-31T10:00:00Z"),
    releaseAt: null,
    autoRenew: true,
    transferLock: true,
    mode: "hosted",
    nameservers: [
      { name: "ns1.example.net", ipv4: [], ipv6: [] },
      { name: "ns2.example.net", ipv4: [], ipv6: [] },
    ],
    delegated: true,
    ds: [],
    delegationTtl: 3600,
    updatedAt: new Date("2026-05-02T08:30:00Z"),
    ...over,
  };
}

describe("RDAP status values (RFC 8056)", () => {
  it("maps EPP statuses", () => {
    expect(["ok", "clientTransferProhibited", "redemptionPeriod", "pendingDelete", "autoRenewPeriod", "serverHold", "linked"].map(rdapStatus)).toEqual([
      "active",
      "client transfer prohibited",
      "redemption period",
      "pending delete",
      "auto renew period",
      "server hold",
      "associated",
    ]);
  });

  it("a domain's statuses in RDAP terms, per lifecycle state", () => {
    expect(rdapDomain(registration({ statuses: ["ok"] }), ctx).status).toEqual(["active"]);
    expect(rdapDomain(registration({ status: "redemption", statuses: ["redemptionPeriod", "pendingDelete", "clientTransferProhibited"] }), ctx).status).toEqual([
      "redemption period",
      "pending delete",
      "client transfer prohibited",
    ]);
    expect(rdapDomain(registration({ status: "grace", statuses: ["autoRenewPeriod"] }), ctx).status).toEqual(["auto renew period"]);
  });
});

describe("the domain object", () => {
  it("has the RFC 9083 members, events and a self link", () => {
    const d = rdapDomain(registration(), ctx);
    expect(d).toMatchObject({
      rdapConformance: ["rdap_level_0", "redacted"],
      objectClassName: "domain",
      handle: "EXAMPLE_SHOP-SHOP",
      ldhName: "example.shop",
      links: [{ rel: "self", href: "https://panel.example.net/rdap/domain/example.shop", value: "https://panel.example.net/rdap/domain/example.shop", type: "application/rdap+json" }],
      notices: [{ title: "Terms of Use", description: expect.any(Array) }],
    });
    expect(d).not.toHaveProperty("unicodeName");
    expect(d.events).toEqual([
      { eventAction: "registration", eventDate: "2026-05-01T10:00:00Z" },
      { eventAction: "expiration", eventDate: "2027-05-01T10:00:00Z" },
      { eventAction: "last changed", eventDate: "2026-05-02T08:30:00Z" },
      { eventAction: "last update of RDAP database", eventDate: "2026-06-01T12:00:00Z" },
    ]);
  });

  it("IDN names: ldhName in A-labels, unicodeName in U-labels", () => {
    const d = rdapDomain(registration({ name: "xn--bcher-kva.shop" }), ctx);
    expect(d).toMatchObject({ ldhName: "xn--bcher-kva.shop", unicodeName: "bücher.shop", links: [{ href: "https://panel.example.net/rdap/domain/xn--bcher-kva.shop" }] });
  });

  it("nameservers: addresses only for hosts inside our registry (the glue we publish)", () => {
    const d = rdapDomain(
      registration({
        mode: "external",
        nameservers: [
          { name: "ns1.example.shop", ipv4: ["192.0.2.53"], ipv6: ["2001:db8::53"] },
          { name: "ns.b.co.zz", ipv4: ["192.0.2.54"], ipv6: [] },
          // Addresses of a host elsewhere are never ours to publish, even if some reached us.
          { name: "ns.other.net", ipv4: ["198.51.100.1"], ipv6: [] },
        ],
      }),
      ctx,
    );
    expect(d.nameservers).toEqual([
      {
        objectClassName: "nameserver",
        ldhName: "ns1.example.shop",
        ipAddresses: { v4: ["192.0.2.53"], v6: ["2001:db8::53"] },
        links: [expect.objectContaining({ rel: "self", href: "https://panel.example.net/rdap/nameserver/ns1.example.shop" })],
      },
      { objectClassName: "nameserver", ldhName: "ns.b.co.zz", ipAddresses: { v4: ["192.0.2.54"] }, links: [expect.objectContaining({ rel: "self" })] },
      { objectClassName: "nameserver", ldhName: "ns.other.net" },
    ]);
    // Our own nameservers (outside the registry): a link, no addresses.
    expect(rdapDomain(registration(), ctx).nameservers[0]).toEqual({
      objectClassName: "nameserver",
      ldhName: "ns1.example.net",
      links: [expect.objectContaining({ href: "https://panel.example.net/rdap/nameserver/ns1.example.net" })],
    });
  });

  it("the registrant is there, with nothing personal, and the redactions are declared (RFC 9537)", () => {
    const d = rdapDomain(registration(), ctx);
    expect(d.entities).toHaveLength(1);
    const [registrant] = d.entities;
    expect(registrant).toMatchObject({ objectClassName: "entity", roles: ["registrant"], vcardArray: ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", ""]]] });
    expect(registrant).not.toHaveProperty("handle");
    expect(JSON.stringify(registrant)).not.toMatch(/@|tenant/);
    expect(d.redacted.map((r) => [r.name.description, r.method])).toEqual([
      ["Registry Registrant ID", "removal"],
      ["Registrant Name", "emptyValue"],
      ["Registrant Organization", "removal"],
      ["Registrant Email", "removal"],
    ]);
    for (const r of d.redacted) {
      expect(r).toMatchObject({ pathLang: "jsonpath", reason: { description: expect.any(String) } });
      expect("prePath" in r ? r.prePath : r.postPath).toMatch(/^\$\.entities\[\?\(@\.roles\[0\]=='registrant'\)\]/);
    }
    expect(d.redacted.find((r) => r.method === "emptyValue")).toMatchObject({ postPath: "$.entities[?(@.roles[0]=='registrant')].vcardArray[1][?(@[0]=='fn')][3]" });
  });

  it("DS records become secureDNS.dsData; none: delegationSigned false", () => {
    expect(rdapDomain(registration(), ctx).secureDNS).toEqual({ delegationSigned: false });
    expect(rdapDomain(registration({ ds: [`12345 13 2 ${DIGEST}`] }), ctx).secureDNS).toEqual({
      delegationSigned: true,
      dsData: [{ keyTag: 12345, algorithm: 13, digestType: 2, digest: DIGEST.toUpperCase() }],
    });
    expect(dsData("60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118")).toEqual({ keyTag: 60485, algorithm: 5, digestType: 1, digest: "2BB183AF5F22588179A53B0A98631FAD1A292118" });
  });
});

describe("nameserver objects, help and errors", () => {
  const host: HostInfo = { name: "ns1.example.shop", ipv4: ["192.0.2.53"], ipv6: ["2001:db8::53"], domain: "example.shop", usedBy: ["example.shop"] };

  it("a host object of our registry: addresses, associated while a delegation names it", () => {
    expect(rdapNameserver(host, ctx)).toMatchObject({
      rdapConformance: ["rdap_level_0", "redacted"],
      objectClassName: "nameserver",
      handle: "NS1_EXAMPLE_SHOP-SHOP",
      ldhName: "ns1.example.shop",
      ipAddresses: { v4: ["192.0.2.53"], v6: ["2001:db8::53"] },
      status: ["active", "associated"],
      links: [{ rel: "self", href: "https://panel.example.net/rdap/nameserver/ns1.example.shop" }],
    });
    expect(rdapNameserver({ ...host, usedBy: [] }, ctx).status).toEqual(["active"]);
  });

  it("one of our nameservers outside the registry: no addresses", () => {
    const ns = rdapNameserver({ name: "ns1.example.net", ipv4: ["203.0.113.1"], ipv6: [], domain: null, usedBy: [] }, ctx);
    expect(ns).not.toHaveProperty("ipAddresses");
    expect(ns.handle).toBe("NS1_EXAMPLE_NET-NET");
  });

  it("help is notices only; errors carry errorCode, title and description (RFC 9083 §6, §7)", () => {
    const help = rdapHelp(ctx);
    expect(Object.keys(help).sort()).toEqual(["notices", "rdapConformance"]);
    expect(help.notices[0].description.join(" ")).toContain(".shop, .co.zz");
    expect(rdapError(404, "Not Found", ["nope"])).toMatchObject({ errorCode: 404, title: "Not Found", description: ["nope"] });
  });

  it("handles look like EPP repository object ids", () => {
    expect(registryObjectId("xn--bcher-kva.co.zz", "co.zz")).toBe("XN__BCHER_KVA_CO_ZZ-CO_ZZ");
    expect(registryObjectId("a.verylongtld", "verylongtld")).toMatch(/^[A-Z0-9_]+-[A-Z0-9_]{1,8}$/);
  });
});

describe("WHOIS text", () => {
  it("a registration in the Key: value layout, registrant redacted", () => {
    const text = whoisDomainText(registration({ name: "xn--bcher-kva.shop", statuses: ["clientTransferProhibited"], ds: [`12345 13 2 ${DIGEST}`] }), NOW);
    const lines = text.split("\r\n");
    expect(text.endsWith("\r\n")).toBe(true);
    expect(lines.slice(0, 11)).toEqual([
      "Domain Name: xn--bcher-kva.shop",
      "Internationalized Domain Name: bücher.shop",
      "Registry Domain ID: XN__BCHER_KVA_SHOP-SHOP",
      "Updated Date: 2026-05-02T08:30:00Z",
      "Creation Date: 2026-05-01T10:00:00Z",
      "Registry Expiry Date: 2027-05-01T10:00:00Z",
      "Domain Status: clientTransferProhibited https://icann.org/epp#clientTransferProhibited",
      "Registrant Name: REDACTED FOR PRIVACY",
      "Registrant Organization: REDACTED FOR PRIVACY",
      "Registrant Email: REDACTED FOR PRIVACY",
      "Name Server: ns1.example.net",
    ]);
    expect(lines).toContain("DNSSEC: signedDelegation");
    expect(lines).toContain(`DNSSEC DS Data: 12345 13 2 ${DIGEST.toUpperCase()}`);
    expect(lines).toContain(">>> Last update of WHOIS database: 2026-06-01T12:00:00Z <<<");
    expect(whoisDomainText(registration(), NOW)).toContain("DNSSEC: unsigned\r\n");
  });

  it("a nameserver: addresses only inside our registry", () => {
    const host: HostInfo = { name: "ns1.example.shop", ipv4: ["192.0.2.53"], ipv6: ["2001:db8::53"], domain: "example.shop", usedBy: [] };
    expect(whoisNameserverText(host, ctx, NOW)).toMatch(/^Server Name: ns1\.example\.shop\r\nIP Address: 192\.0\.2\.53\r\nIP Address: 2001:db8::53\r\n/);
    expect(whoisNameserverText({ ...host, name: "ns1.example.net" }, ctx, NOW)).not.toContain("IP Address");
  });
});

describe("queries and the rate-limit key", () => {
  it("reads names as stored, refuses what is not one", () => {
    expect(parseQueryName(" Bücher.SHOP. ")).toEqual({ name: "xn--bcher-kva.shop" });
    for (const bad of ["", "not a name", "a..b", "-x.shop", "_dmarc.x.shop", "*.x.shop", "x".repeat(2000), "\u0000\u00ff"]) {
      expect(parseQueryName(bad)).toHaveProperty("reason");
    }
  });

  it("IPv6 per /64, IPv4 per address; RDAP_RATE_LIMIT with a default", () => {
    expect(lookupClientKey("2001:db8:1:2:aaaa::1")).toBe(lookupClientKey("2001:db8:1:2:bbbb::9"));
    expect(lookupClientKey("2001:db8:1:2::1")).not.toBe(lookupClientKey("2001:db8:1:3::1"));
    expect(lookupClientKey("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(lookupClientKey(null)).toBe("unknown");
    expect(lookupRateLimit({})).toBe(60);
    expect(lookupRateLimit({ RDAP_RATE_LIMIT: "5" })).toBe(5);
    expect(lookupRateLimit({ RDAP_RATE_LIMIT: "0" })).toBe(0);
    expect(lookupRateLimit({ RDAP_RATE_LIMIT: "lots" })).toBe(60);
  });
});
