import { describe, expect, it } from "vitest";
import { validateRecord } from "../../lib/records/record-input.ts";

const ZONE = "example.test";
const ok = (input: object) => {
  const r = validateRecord(input, ZONE, 3600);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.record;
};
const issues = (input: object) => {
  const r = validateRecord(input, ZONE, 3600);
  if (r.ok) throw new Error(`accepted: ${JSON.stringify(r.record)}`);
  return r.issues;
};

describe("owner names", () => {
  it("resolves @, relative, absolute and full names inside the zone", () => {
    expect(ok({ name: "@", type: "A", content: "192.0.2.1" }).name).toBe("example.test");
    expect(ok({ name: "www", type: "A", content: "192.0.2.1" }).name).toBe("www.example.test");
    expect(ok({ name: "WWW.Example.Test.", type: "A", content: "192.0.2.1" }).name).toBe("www.example.test");
    expect(ok({ name: "www.example.test", type: "A", content: "192.0.2.1" }).name).toBe("www.example.test");
    expect(ok({ name: "*.dev", type: "A", content: "192.0.2.1" }).name).toBe("*.dev.example.test");
  });

  it("converts IDN input to punycode", () => {
    expect(ok({ name: "bücher", type: "A", content: "192.0.2.1" }).name).toBe("xn--bcher-kva.example.test");
  });

  it("refuses names outside the zone and invalid hostnames, on the name field", () => {
    expect(issues({ name: "www.other.test.", type: "A", content: "192.0.2.1" })).toEqual([
      { path: ["name"], message: expect.stringContaining("outside the zone") },
    ]);
    expect(issues({ name: "-bad", type: "A", content: "192.0.2.1" })[0].path).toEqual(["name"]);
    expect(issues({ name: "a..b", type: "A", content: "192.0.2.1" })[0].path).toEqual(["name"]);
    expect(issues({ name: `${"a".repeat(64)}`, type: "A", content: "192.0.2.1" })[0].message).toMatch(/longer than 63/);
    expect(issues({ name: "a*b", type: "A", content: "192.0.2.1" })[0].message).toMatch(/wildcard/);
  });
});

describe("TTL", () => {
  it("defaults and accepts 1..2147483647", () => {
    expect(ok({ name: "a", type: "A", content: "192.0.2.1" }).ttl).toBe(3600);
    expect(ok({ name: "a", type: "A", ttl: "1", content: "192.0.2.1" }).ttl).toBe(1);
    expect(ok({ name: "a", type: "A", ttl: 2147483647, content: "192.0.2.1" }).ttl).toBe(2147483647);
  });
  it("refuses 0, too large and non-numbers", () => {
    for (const ttl of [0, 2147483648, "abc", 1.5, -5]) expect(issues({ name: "a", type: "A", ttl, content: "192.0.2.1" })[0].path).toEqual(["ttl"]);
  });
});

describe("record types", () => {
  it("A and AAAA", () => {
    expect(issues({ name: "a", type: "A", content: "192.0.2.300" })).toEqual([{ path: ["address"], message: expect.stringMatching(/IPv4/) }]);
    expect(issues({ name: "a", type: "A", content: "2001:db8::1" })[0].path).toEqual(["address"]);
    expect(ok({ name: "a", type: "AAAA", content: "2001:DB8:0:0:0:0:0:1" }).content).toBe("2001:db8::1");
    expect(issues({ name: "a", type: "AAAA", content: "2001:db8::g" })[0].message).toMatch(/IPv6/);
  });

  it("MX, NS, SRV, CNAME targets must be hostnames, not IP addresses", () => {
    expect(ok({ name: "@", type: "MX", content: "10 mail.example.test" }).content).toBe("10 mail.example.test.");
    expect(issues({ name: "@", type: "MX", content: "10 192.0.2.1" })[0]).toEqual({ path: ["exchange"], message: expect.stringMatching(/not an IP/) });
    expect(issues({ name: "sub", type: "NS", content: "192.0.2.1" })[0].path).toEqual(["host"]);
    expect(issues({ name: "x", type: "CNAME", content: "2001:db8::1" })[0].path).toEqual(["target"]);
    expect(ok({ name: "@", type: "MX", content: "0 ." }).content).toBe("0 .");
    expect(issues({ name: "@", type: "MX", content: "70000 mail.example.test." })[0].path).toEqual(["priority"]);
  });

  it("targets are absolute: a pasted external name is not suffixed with the zone", () => {
    expect(ok({ name: "x", type: "CNAME", content: "ghs.googlehosted.com" }).content).toBe("ghs.googlehosted.com.");
    expect(ok({ name: "x", type: "CNAME", content: "@" }).content).toBe("example.test.");
    // a single label is relative to the zone; a trailing dot keeps it literal
    expect(ok({ name: "@", type: "MX", content: "10 mail" }).content).toBe("10 mail.example.test.");
    expect(ok({ name: "x", type: "CNAME", content: "localhost." }).content).toBe("localhost.");
  });

  it("TXT splits long text into 255-byte strings and keeps quoted strings", () => {
    const long = ok({ name: "t", type: "TXT", content: "x".repeat(600) }).content;
    expect(long).toBe(`"${"x".repeat(255)}" "${"x".repeat(255)}" "${"x".repeat(90)}"`);
    expect(ok({ name: "t", type: "TXT", content: '"a b" "c\\"d"' }).content).toBe('"a b" "c\\"d"');
    expect(ok({ name: "t", type: "TXT", content: "v=spf1 include:_spf.example.net -all" }).content).toBe('"v=spf1 include:_spf.example.net -all"');
    expect(issues({ name: "t", type: "TXT", content: `"${"y".repeat(256)}"` })[0].message).toMatch(/255/);
    expect(issues({ name: "t", type: "TXT", content: "z".repeat(4001) })[0].message).toMatch(/4000/);
  });

  it("SRV needs _service._proto and four fields", () => {
    expect(ok({ name: "_sip._tcp", type: "SRV", content: "10 60 5060 sip.example.test" }).content).toBe("10 60 5060 sip.example.test.");
    expect(issues({ name: "sip", type: "SRV", content: "10 60 5060 sip.example.test" })[0].path).toEqual(["name"]);
    expect(issues({ name: "_sip._tcp", type: "SRV", content: "10 60 sip.example.test" })[0].message).toMatch(/expected 4/);
    expect(issues({ name: "_sip._tcp", type: "SRV", content: "10 60 99999 sip.example.test" })[0].path).toEqual(["port"]);
  });

  it("CAA tag and flag rules (RFC 8659)", () => {
    expect(ok({ name: "@", type: "CAA", content: '0 issue "letsencrypt.org"' }).content).toBe('0 issue "letsencrypt.org"');
    expect(ok({ name: "@", type: "CAA", content: '0 issue ";"' }).content).toBe('0 issue ";"');
    expect(ok({ name: "@", type: "CAA", fields: { flags: 128, tag: "ISSUEWILD", value: "ca.example; account=123" } }).content).toBe('128 issuewild "ca.example; account=123"');
    expect(issues({ name: "@", type: "CAA", content: '1 issue "letsencrypt.org"' })[0].path).toEqual(["flags"]);
    expect(issues({ name: "@", type: "CAA", content: '0 bogus "x"' })[0].path).toEqual(["tag"]);
    expect(issues({ name: "@", type: "CAA", content: '0 iodef "not a url"' })[0].path).toEqual(["value"]);
    expect(issues({ name: "@", type: "CAA", content: '0 issue "bad_domain!"' })[0].path).toEqual(["value"]);
  });

  it("SOA is managed; unknown types are refused", () => {
    expect(issues({ name: "@", type: "SOA", content: "x" })[0].message).toMatch(/managed automatically/);
    expect(issues({ name: "@", type: "HINFO", content: "x y" })[0].path).toEqual(["type"]);
  });
});
