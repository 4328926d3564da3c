// The registry's pure rules: which names can be registered (and why not), registration dates,
// the lifecycle's transitions, auth codes, and whether a domain's records are used.
import { describe, expect, it } from "vitest";
import { AuthCodeUnreadableError, decryptAuthCode, encryptAuthCode, generateAuthCode } from "../../lib/registry/auth-code.ts";
import { addYears, dueTransition, renewedExpiry, restoredExpiry, yearsOfRoom } from "../../lib/registry/lifecycle.ts";
import { checkRegistrableName, registrableAncestor, tldOf } from "../../lib/registry/names.ts";
import { recordsUsage } from "../../lib/registrar/overview.ts";
import { handoverEnds } from "../../lib/zone/served.ts";

const TLDS = ["test", "co.test"];

describe("registrable names", () => {
  const verdict = (name: string) => checkRegistrableName(name, TLDS, ["dns.test"]);

  it("one label under a TLD we run is available", () => {
    expect(verdict("Shop.TEST.")).toMatchObject({ name: "shop.test", tld: "test", verdict: "available" });
  });

  it("the longest TLD wins: second-level registries", () => {
    expect(verdict("shop.co.test")).toMatchObject({ tld: "co.test", verdict: "available" });
  });

  it("IDN names are converted to punycode and shown both ways", () => {
    const check = verdict("bücher.test");
    expect(check).toMatchObject({ name: "xn--bcher-kva.test", unicode: "bücher.test", verdict: "available" });
    expect(verdict("xn--bcher-kva.test").unicode).toBe("bücher.test");
  });

  it("each way a name can be wrong has its own reason", () => {
    expect(verdict("")).toMatchObject({ verdict: "invalid", reason: expect.stringMatching(/type a domain name/) });
    expect(verdict("https://shop.test/")).toMatchObject({ verdict: "invalid", reason: expect.stringMatching(/without http/) });
    expect(verdict("shop.example")).toMatchObject({ verdict: "not-offered", reason: expect.stringMatching(/\.example.*\.test/) });
    expect(verdict("test")).toMatchObject({ verdict: "invalid", reason: expect.stringMatching(/itself cannot be registered/) });
    expect(verdict("www.shop.test")).toMatchObject({ verdict: "invalid", reason: expect.stringMatching(/register shop\.test/) });
    expect(verdict("-shop.test")).toMatchObject({ verdict: "invalid" });
    expect(verdict("sh--op.test")).toMatchObject({ verdict: "invalid", reason: expect.stringMatching(/3rd and 4th/) });
    expect(verdict("xn--zz.test")).toMatchObject({ verdict: "invalid", reason: expect.stringMatching(/punycode/) });
    expect(verdict("_dmarc.test")).toMatchObject({ verdict: "invalid", reason: expect.stringMatching(/underscore/) });
    expect(verdict(`${"a".repeat(64)}.test`)).toMatchObject({ verdict: "invalid", reason: expect.stringMatching(/longer than 63/) });
    expect(verdict("sh op.test")).toMatchObject({ verdict: "invalid" });
  });

  it("reserved labels and the platform's own nameserver domain are not for sale", () => {
    expect(verdict("nic.test")).toMatchObject({ verdict: "reserved" });
    expect(verdict("whois.test")).toMatchObject({ verdict: "reserved" });
    expect(verdict("dns.test")).toMatchObject({ verdict: "reserved" });
  });

  it("finds the TLD and the registered domain a host lives under", () => {
    expect(tldOf("ns1.shop.co.test", TLDS)).toBe("co.test");
    expect(tldOf("ns1.other.net", TLDS)).toBe("");
    expect(registrableAncestor("a.b.ns1.shop.test", "test")).toBe("shop.test");
    expect(registrableAncestor("shop.test", "test")).toBe("shop.test");
    expect(registrableAncestor("ns.other.net", "test")).toBe("");
  });
});

describe("registration dates", () => {
  const now = new Date("2026-03-01T12:00:00Z");

  it("years are calendar years; 29 February falls back to 28 February", () => {
    expect(addYears(new Date("2028-02-29T00:00:00Z"), 1).toISOString()).toBe("2029-02-28T00:00:00.000Z");
    expect(addYears(now, 10).toISOString()).toBe("2036-03-01T12:00:00.000Z");
  });

  it("renewing adds years to the expiry date, never beyond 10 years from now", () => {
    const reg = { status: "active" as const, expiresAt: addYears(now, 1) };
    expect(renewedExpiry(reg, 2, now)).toEqual({ expiresAt: addYears(now, 3) });
    expect(renewedExpiry(reg, 9, now)).toEqual({ expiresAt: addYears(now, 10) });
    expect(renewedExpiry(reg, 10, now)).toEqual({ error: expect.stringMatching(/at most 9 years/) });
    expect(renewedExpiry(reg, 0, now)).toEqual({ error: expect.stringMatching(/1 to 10/) });
    expect(yearsOfRoom(addYears(now, 10), now)).toBe(0);
  });

  it("renewing in grace counts from the old expiry; in redemption it is a restore", () => {
    const expired = new Date("2026-02-20T00:00:00Z");
    expect(renewedExpiry({ status: "grace", expiresAt: expired }, 1, now)).toEqual({ expiresAt: new Date("2027-02-20T00:00:00Z") });
    expect(renewedExpiry({ status: "redemption", expiresAt: expired }, 1, now)).toEqual({ error: expect.stringMatching(/restore/) });
    expect(restoredExpiry(new Date("2024-01-01T00:00:00Z"), 1, now).toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });
});

describe("lifecycle transitions", () => {
  const settings = { graceDays: 30, restoreDays: 30 };
  const expiresAt = new Date("2027-01-01T00:00:00Z");
  const at = (iso: string) => new Date(iso);

  it("nothing before expiry", () => {
    expect(dueTransition({ status: "active", expiresAt, releaseAt: null, autoRenew: false }, at("2026-12-31T23:59:59Z"), settings)).toBeNull();
  });

  it("auto-renew renews from the expiry date, a year at a time, until it lies ahead", () => {
    expect(dueTransition({ status: "active", expiresAt, releaseAt: null, autoRenew: true }, at("2027-01-01T00:00:00Z"), settings)).toEqual({
      kind: "auto-renew",
      expiresAt: at("2028-01-01T00:00:00Z"),
    });
    expect(dueTransition({ status: "active", expiresAt, releaseAt: null, autoRenew: true }, at("2029-06-01T00:00:00Z"), settings)).toMatchObject({
      expiresAt: at("2030-01-01T00:00:00Z"),
    });
  });

  it("without auto-renew: grace, then undelegated with a release date, then released", () => {
    const reg = { status: "active" as const, expiresAt, releaseAt: null, autoRenew: false };
    expect(dueTransition(reg, at("2027-01-01T00:00:00Z"), settings)).toEqual({ kind: "enter-grace" });
    expect(dueTransition({ ...reg, status: "grace" }, at("2027-01-30T00:00:00Z"), settings)).toBeNull();
    expect(dueTransition({ ...reg, status: "grace" }, at("2027-01-31T00:00:00Z"), settings)).toEqual({ kind: "undelegate", releaseAt: at("2027-03-02T00:00:00Z") });
    // A tick long after expiry goes straight to the furthest due step.
    expect(dueTransition(reg, at("2027-02-15T00:00:00Z"), settings)).toMatchObject({ kind: "undelegate" });
    const redemption = { ...reg, status: "redemption" as const, releaseAt: at("2027-03-02T00:00:00Z") };
    expect(dueTransition(redemption, at("2027-03-01T00:00:00Z"), settings)).toBeNull();
    expect(dueTransition(redemption, at("2027-03-02T00:00:00Z"), settings)).toEqual({ kind: "release" });
  });
});

describe("auth codes", () => {
  it("16 characters with letters, digits and a symbol; different every time", () => {
    const codes = Array.from({ length: 50 }, generateAuthCode);
    for (const code of codes) {
      expect(code).toHaveLength(16);
      expect(code).toMatch(/[A-Za-z]/);
      expect(code).toMatch(/[2-9]/);
      expect(code).toMatch(/[-+=!?#]/);
    }
    expect(new Set(codes).size).toBe(50);
  });

  it("stored encrypted: the stored text does not contain the code, and only the right key reads it", () => {
    const key = Buffer.alloc(32, 7);
    const code = generateAuthCode();
    const stored = encryptAuthCode(code, key);
    expect(stored).not.toContain(code);
    expect(encryptAuthCode(code, key)).not.toBe(stored); // a fresh IV each time
    expect(decryptAuthCode(stored, key)).toBe(code);
    expect(() => decryptAuthCode(stored, Buffer.alloc(32, 8))).toThrow(AuthCodeUnreadableError);
    // One bit of the ciphertext flipped: GCM's tag no longer matches.
    const [version, iv, tag, body] = stored.split(":");
    const flipped = Buffer.from(body, "base64url");
    flipped[0] ^= 1;
    expect(() => decryptAuthCode([version, iv, tag, flipped.toString("base64url")].join(":"), key)).toThrow(AuthCodeUnreadableError);
  });
});

describe("the hand-over and whether records are used", () => {
  const now = new Date("2026-06-01T12:00:00Z");
  const later = new Date("2026-06-01T13:05:00Z");

  it("a zone delegated away is served until hostedUntil, then not", () => {
    expect(handoverEnds({ mode: "external", hostedUntil: later }, "active", now)).toEqual(later);
    expect(handoverEnds({ mode: "external", hostedUntil: later }, "active", later)).toBeNull();
    expect(handoverEnds({ mode: "hosted", hostedUntil: later }, "active", now)).toBeNull(); // delegated to us again
    expect(handoverEnds({ mode: "hosted", hostedUntil: later }, "redemption", now)).toEqual(later); // undelegated
  });

  const ns = (...names: string[]) => names.map((name) => ({ name, ipv4: [], ipv6: [] }));

  it("registered here, delegated elsewhere: the exact warning, with the hand-over", () => {
    const usage = recordsUsage({
      domain: "shop.test",
      registration: { status: "active", mode: "external", nameservers: ns("ns1.other.net", "ns2.other.net") },
      delegationMode: "external",
      hostedUntil: later,
      lastCheck: null,
      now,
    });
    expect(usage.inUse).toBe(false);
    expect(usage.message).toMatch(/^These records are not being used: this domain is delegated to ns1\.other\.net, ns2\.other\.net\. Switch back to our nameservers to use them\./);
    expect(usage.message).toMatch(/keep answering until 13:05 UTC/);
  });

  it("registered here on our nameservers: in use; in redemption: not", () => {
    const base = { domain: "shop.test", delegationMode: "hosted" as const, hostedUntil: null, lastCheck: null, now };
    expect(recordsUsage({ ...base, registration: { status: "active", mode: "hosted", nameservers: ns("ns1.example.net") } }).inUse).toBe(true);
    expect(recordsUsage({ ...base, registration: { status: "redemption", mode: "hosted", nameservers: [] } })).toMatchObject({ inUse: false, message: expect.stringMatching(/Restore it/) });
  });

  it("registered elsewhere: the last delegation check decides", () => {
    const base = { domain: "shop.example", registration: null, delegationMode: "hosted" as const, hostedUntil: null, now };
    expect(recordsUsage({ ...base, lastCheck: null }).inUse).toBeNull();
    expect(recordsUsage({ ...base, lastCheck: { usesOurs: true, parentNs: [] } }).inUse).toBe(true);
    expect(recordsUsage({ ...base, lastCheck: { usesOurs: false, parentNs: ["ns1.other.net"] } })).toMatchObject({
      inUse: false,
      message: expect.stringMatching(/^These records are not being used: this domain is delegated to ns1\.other\.net\./),
    });
    expect(recordsUsage({ ...base, lastCheck: { usesOurs: "partly", parentNs: ["ns1.example.net", "ns1.other.net"] } }).message).toMatch(/Only some/);
  });
});
