// analyzeDelegation: the rules of the delegation check on plain observations, no sockets.
import { describe, expect, it } from "vitest";
import {
  analyzeDelegation,
  usesOurNameservers,
  type DelegationObservations,
  type Finding,
  type NameserverAddressResult,
  type NameserverResult,
  type ParentServerResult,
} from "../../lib/registrar/delegation-check.ts";

const DOMAIN = "shop.test";
const OURS = ["ns1.example.net", "ns2.example.net"];

function referral(overrides: Partial<ParentServerResult> = {}): ParentServerResult {
  return { name: "a.nic.test", address: "192.0.2.53", port: 53, outcome: "referral", rcode: "NOERROR", aa: false, ns: [...OURS], glue: [], ...overrides };
}

function ok(overrides: Partial<NameserverAddressResult> = {}): NameserverAddressResult {
  return { address: "192.0.2.1", port: 53, outcome: "ok", rcode: "NOERROR", aa: true, serial: 2026010101, ns: [...OURS], ...overrides };
}

function nameserver(name: string, addresses: NameserverAddressResult[], overrides: Partial<NameserverResult> = {}): NameserverResult {
  return { name, inDomain: name.endsWith(`.${DOMAIN}`), addressSource: "known", addresses, ...overrides };
}

/** A healthy picture: parent refers to our two nameservers, both answer with the same serial. */
function healthy(): DelegationObservations {
  return {
    domain: DOMAIN,
    parent: { zone: "test", source: "given", servers: [referral()], ns: [...OURS], glue: [] },
    nameservers: [nameserver("ns1.example.net", [ok({ address: "192.0.2.1" })]), nameserver("ns2.example.net", [ok({ address: "192.0.2.2" })])],
    ourNameservers: OURS,
  };
}

const codes = (findings: Finding[]) => findings.map((f) => f.code);
const only = (findings: Finding[], code: string) => findings.filter((f) => f.code === code);

describe("analyzeDelegation", () => {
  it("finds nothing wrong with a healthy delegation to our nameservers", () => {
    const result = analyzeDelegation(healthy());
    expect(result.findings).toEqual([]);
    expect(result.usesOurs).toBe(true);
  });

  describe("the parent", () => {
    it("parent-unknown: the parent's servers could not be found", () => {
      const obs = healthy();
      obs.parent = { zone: "test", source: "resolver", servers: [], ns: [], glue: [], error: "test does not exist (NXDOMAIN)" };
      obs.nameservers = [];
      const { findings, usesOurs } = analyzeDelegation(obs);
      expect(findings).toEqual([{ severity: "error", code: "parent-unknown", message: expect.stringContaining("NXDOMAIN") }]);
      expect(usesOurs).toBeNull();
    });

    it("parent-unreachable: no parent server answers, each one named with why", () => {
      const obs = healthy();
      obs.parent.servers = [
        { name: "a.nic.test", address: "192.0.2.53", port: 53, outcome: "timeout" },
        { name: "b.nic.test", address: "192.0.2.54", port: 53, outcome: "refused", rcode: "REFUSED" },
        { name: "c.nic.test", address: null, port: null, outcome: "no-address", message: "c.nic.test does not exist (NXDOMAIN)" },
      ];
      obs.parent.ns = [];
      obs.nameservers = [];
      const { findings, usesOurs } = analyzeDelegation(obs);
      expect(codes(findings)).toEqual(["parent-unreachable"]);
      expect(findings[0].severity).toBe("error");
      expect(findings[0].message).toContain("a.nic.test (192.0.2.53) does not answer (timeout)");
      expect(findings[0].message).toContain("b.nic.test (192.0.2.54) answers REFUSED");
      expect(findings[0].message).toContain("c.nic.test has no address");
      expect(usesOurs).toBeNull();
    });

    it("parent-server-unreachable and parent-server-lame: one parent server fails while another refers", () => {
      const obs = healthy();
      obs.parent.servers.push(
        { name: "b.nic.test", address: "192.0.2.54", port: 5353, outcome: "timeout" },
        { name: "c.nic.test", address: "2001:db8::53", port: 53, outcome: "referral-elsewhere", message: "refers to the zone (root) instead of answering for test" },
      );
      const { findings } = analyzeDelegation(obs);
      expect(findings).toEqual([
        { severity: "warning", code: "parent-server-unreachable", message: expect.stringContaining("b.nic.test (192.0.2.54:5353) does not answer"), host: "b.nic.test" },
        { severity: "warning", code: "parent-server-lame", message: expect.stringContaining("c.nic.test ([2001:db8::53]) refers to the zone (root)"), host: "c.nic.test" },
      ]);
    });

    it("not-delegated: NXDOMAIN from the parent", () => {
      const obs = healthy();
      obs.parent.servers = [referral({ outcome: "nxdomain", rcode: "NXDOMAIN", aa: true, ns: undefined, glue: undefined })];
      obs.parent.ns = [];
      obs.nameservers = [];
      const { findings, usesOurs } = analyzeDelegation(obs);
      expect(findings).toEqual([{ severity: "error", code: "not-delegated", message: expect.stringMatching(/shop\.test is not delegated in test: .*NXDOMAIN/) }]);
      expect(usesOurs).toBeNull();
    });

    it("not-delegated: NODATA (the name exists in the parent but is no zone cut)", () => {
      const obs = healthy();
      obs.parent.servers = [referral({ outcome: "nodata", aa: true, ns: undefined, glue: undefined })];
      obs.parent.ns = [];
      obs.nameservers = [];
      const { findings } = analyzeDelegation(obs);
      expect(codes(findings)).toEqual(["not-delegated"]);
      expect(findings[0].message).toContain("without NS records");
    });

    it("parent-inconsistent: one parent server delegates, another says NXDOMAIN", () => {
      const obs = healthy();
      obs.parent.servers.push({ name: "b.nic.test", address: "192.0.2.54", port: 53, outcome: "nxdomain", rcode: "NXDOMAIN", aa: true });
      const { findings, usesOurs } = analyzeDelegation(obs);
      expect(codes(findings)).toEqual(["parent-inconsistent"]);
      expect(findings[0].message).toContain("b.nic.test (192.0.2.54)");
      expect(usesOurs).toBe(true);
    });

    it("parent-inconsistent: parent servers give different NS sets", () => {
      const obs = healthy();
      obs.parent.servers.push(referral({ name: "b.nic.test", address: "192.0.2.54", ns: ["ns1.example.net", "ns9.elsewhere.test"] }));
      obs.parent.ns = ["ns1.example.net", "ns2.example.net", "ns9.elsewhere.test"];
      const { findings } = analyzeDelegation(obs);
      const inconsistent = only(findings, "parent-inconsistent");
      expect(inconsistent).toHaveLength(1);
      expect(inconsistent[0].message).toContain("ns9.elsewhere.test");
    });

    it("parent-authoritative: the parent server answers for the child itself (AA=1), as a one-address demo does", () => {
      const obs = healthy();
      obs.parent.servers = [referral({ outcome: "authoritative", aa: true })];
      const { findings, usesOurs } = analyzeDelegation(obs);
      expect(findings).toEqual([{ severity: "info", code: "parent-authoritative", message: expect.stringContaining("AA=1"), host: "a.nic.test" }]);
      expect(usesOurs).toBe(true);
    });
  });

  describe("glue (RFC 9471)", () => {
    function inDomain(glue: { name: string; addresses: string[] }[], zoneAddresses: string[] | undefined): DelegationObservations {
      const ns = ["ns1.shop.test", "ns2.example.net"];
      const hosts = zoneAddresses ? [{ name: "ns1.shop.test", addresses: zoneAddresses }] : undefined;
      return {
        domain: DOMAIN,
        parent: { zone: "test", source: "given", servers: [referral({ ns, glue })], ns, glue },
        nameservers: [
          nameserver("ns1.shop.test", [ok({ address: "192.0.2.10", ns, hosts })], { addressSource: glue.length ? "glue" : "resolver" }),
          nameserver("ns2.example.net", [ok({ address: "192.0.2.2", ns, hosts })]),
        ],
        ourNameservers: OURS,
      };
    }

    it("accepts glue that matches the zone's addresses (IPv6 compared canonically)", () => {
      const { findings, usesOurs } = analyzeDelegation(inDomain([{ name: "ns1.shop.test", addresses: ["192.0.2.10", "2001:DB8:0::10"] }], ["2001:db8::10", "192.0.2.10"]));
      expect(findings).toEqual([]);
      expect(usesOurs).toBe("partly");
    });

    it("glue-missing: an in-domain nameserver without glue", () => {
      const { findings } = analyzeDelegation(inDomain([], ["192.0.2.10"]));
      expect(findings).toEqual([{ severity: "error", code: "glue-missing", message: expect.stringContaining("ns1.shop.test is inside shop.test"), host: "ns1.shop.test" }]);
    });

    it("glue is not required for nameservers outside the domain", () => {
      const obs = healthy();
      obs.parent.servers = [referral({ glue: [] })];
      expect(codes(analyzeDelegation(obs).findings)).not.toContain("glue-missing");
    });

    it("glue-missing is not claimed from an authoritative answer, where the parent's glue cannot be seen", () => {
      const obs = inDomain([], ["192.0.2.10"]);
      obs.parent.servers = [referral({ outcome: "authoritative", aa: true, ns: obs.parent.ns, glue: [] })];
      expect(codes(analyzeDelegation(obs).findings)).toEqual(["parent-authoritative"]);
    });

    it("glue-mismatch: the parent's glue and the zone's A record differ, once per differing view", () => {
      const { findings } = analyzeDelegation(inDomain([{ name: "ns1.shop.test", addresses: ["192.0.2.10"] }], ["192.0.2.99"]));
      expect(findings).toEqual([
        {
          severity: "warning",
          code: "glue-mismatch",
          message: expect.stringMatching(/glue for ns1\.shop\.test is 192\.0\.2\.10, but the zone .* says 192\.0\.2\.99/),
          host: "ns1.shop.test",
        },
      ]);
    });

    it("glue-mismatch: the zone has no address at all for the name", () => {
      const { findings } = analyzeDelegation(inDomain([{ name: "ns1.shop.test", addresses: ["192.0.2.10"] }], []));
      expect(codes(findings)).toEqual(["glue-mismatch"]);
      expect(findings[0].message).toContain("nothing (no A/AAAA record)");
    });
  });

  describe("the nameservers", () => {
    it("nameserver-no-address: a nameserver name that does not resolve", () => {
      const obs = healthy();
      obs.nameservers[1] = nameserver("ns2.example.net", [], { addressSource: "none", addressError: "ns2.example.net does not exist (NXDOMAIN)" });
      const { findings } = analyzeDelegation(obs);
      expect(findings).toEqual([
        { severity: "warning", code: "nameserver-no-address", message: expect.stringContaining("ns2.example.net has no address (ns2.example.net does not exist"), host: "ns2.example.net" },
      ]);
    });

    it("nameserver-unreachable: a silent nameserver is a lame delegation (a warning while another one works)", () => {
      const obs = healthy();
      obs.nameservers[1] = nameserver("ns2.example.net", [{ address: "192.0.2.2", port: 53, outcome: "timeout", ms: 1500 }]);
      const { findings } = analyzeDelegation(obs);
      expect(findings).toEqual([
        { severity: "warning", code: "nameserver-unreachable", message: expect.stringMatching(/ns2\.example\.net \(192\.0\.2\.2\) does not answer \(timeout\).*RFC 1912/), host: "ns2.example.net" },
      ]);
    });

    it.each([
      ["refused", "REFUSED", false, "answers REFUSED"],
      ["servfail", "SERVFAIL", false, "answers SERVFAIL"],
      ["nxdomain", "NXDOMAIN", true, "answers NXDOMAIN"],
      ["not-authoritative", "NOERROR", false, "without authority (AA=0)"],
      ["no-soa", "NOERROR", true, "has no SOA for shop.test"],
    ] as const)("lame-delegation: %s", (outcome, rcode, aa, text) => {
      const obs = healthy();
      obs.nameservers[0] = nameserver("ns1.example.net", [{ address: "192.0.2.1", port: 53, outcome, rcode, aa }]);
      const { findings } = analyzeDelegation(obs);
      expect(findings).toEqual([{ severity: "warning", code: "lame-delegation", message: expect.stringContaining(text), host: "ns1.example.net" }]);
    });

    it("lame findings are errors when no nameserver answers authoritatively", () => {
      const obs = healthy();
      obs.nameservers = [
        nameserver("ns1.example.net", [{ address: "192.0.2.1", port: 53, outcome: "refused", rcode: "REFUSED", aa: false }]),
        nameserver("ns2.example.net", [{ address: "192.0.2.2", port: 53, outcome: "timeout" }]),
      ];
      const { findings } = analyzeDelegation(obs);
      expect(findings.map((f) => [f.code, f.severity])).toEqual([
        ["lame-delegation", "error"],
        ["nameserver-unreachable", "error"],
      ]);
    });

    it("ns-mismatch: says which names are only at the parent and which only in the zone", () => {
      const obs = healthy();
      const zoneNs = ["ns1.example.net", "ns3.example.net"];
      obs.nameservers = obs.nameservers.map((n) => ({ ...n, addresses: n.addresses.map((a) => ({ ...a, ns: zoneNs })) }));
      const { findings } = analyzeDelegation(obs);
      expect(findings).toEqual([
        {
          severity: "warning",
          code: "ns-mismatch",
          message: expect.stringMatching(/only at the parent \(registrar\): ns2\.example\.net; only in the zone: ns3\.example\.net/),
        },
      ]);
    });

    it("serial-mismatch: lists the serials and where each is served", () => {
      const obs = healthy();
      obs.nameservers[1].addresses[0].serial = 2026010102;
      const { findings } = analyzeDelegation(obs);
      expect(findings).toEqual([{ severity: "warning", code: "serial-mismatch", message: expect.stringContaining("2026010101 on ns1.example.net (192.0.2.1); 2026010102 on ns2.example.net (192.0.2.2)") }]);
    });

    it("orders findings by severity: errors, warnings, information", () => {
      const obs = healthy();
      obs.parent.servers = [referral({ outcome: "authoritative", aa: true, ns: ["ns1.shop.test"] })];
      obs.parent.ns = ["ns1.shop.test"];
      obs.nameservers = [nameserver("ns1.shop.test", [{ address: "192.0.2.1", port: 53, outcome: "timeout" }])];
      const severities = analyzeDelegation(obs).findings.map((f) => f.severity);
      expect(severities).toEqual([...severities].sort((a, b) => ["error", "warning", "info"].indexOf(a) - ["error", "warning", "info"].indexOf(b)));
      expect(severities[0]).toBe("error");
      expect(severities.at(-1)).toBe("info");
    });
  });

  describe("usesOurs", () => {
    it("compares the delegation with NS_NAMES as sets", () => {
      expect(usesOurNameservers(["ns2.example.net", "ns1.example.net"], OURS)).toBe(true);
      expect(usesOurNameservers(["NS1.example.net."], OURS)).toBe("partly");
      expect(usesOurNameservers([...OURS, "ns3.elsewhere.test"], OURS)).toBe("partly");
      expect(usesOurNameservers(["ns1.elsewhere.test"], OURS)).toBe(false);
      expect(usesOurNameservers([], OURS)).toBeNull();
    });

    it("is false for a delegation to other nameservers", () => {
      const obs = healthy();
      const theirs = ["a.dns.elsewhere.test", "b.dns.elsewhere.test"];
      obs.parent.servers = [referral({ ns: theirs })];
      obs.parent.ns = theirs;
      obs.nameservers = theirs.map((n, i) => nameserver(n, [ok({ address: `192.0.2.${i + 1}`, ns: theirs })]));
      expect(analyzeDelegation(obs)).toEqual({ usesOurs: false, findings: [] });
    });
  });
});
