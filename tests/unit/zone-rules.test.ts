import { describe, expect, it } from "vitest";
import { checkZoneRules, type ViewRecord, type ZoneView } from "../../lib/zone/rules.ts";

const ZONE = "example.test";
const rec = (name: string, type: string, content: string, origin?: (string | number)[]): ViewRecord =>
  ({ name, type: type as ViewRecord["type"], ttl: 300, content, origin });
function view(...records: ViewRecord[]): ZoneView {
  const v: ZoneView = new Map();
  for (const r of records) v.set(r.name, [...(v.get(r.name) ?? []), r]);
  return v;
}
const apexNs = rec(ZONE, "NS", "ns1.example.net.");

describe("zone rules", () => {
  it("accepts an ordinary zone", () => {
    expect(checkZoneRules(ZONE, view(apexNs, rec("www.example.test", "A", "192.0.2.1", ["add", 0])), ["www.example.test"])).toEqual([]);
  });

  it("refuses a CNAME at the apex", () => {
    const issues = checkZoneRules(ZONE, view(apexNs, rec(ZONE, "CNAME", "x.example.net.", ["add", 0])), [ZONE]);
    expect(issues[0]).toEqual({ path: ["add", 0, "type"], message: expect.stringMatching(/apex/) });
  });

  it("refuses a CNAME beside other data, either way round (RFC 1034 §3.6.2)", () => {
    const a = checkZoneRules(ZONE, view(apexNs, rec("www.example.test", "A", "192.0.2.1"), rec("www.example.test", "CNAME", "x.example.net.", ["add", 0])), ["www.example.test"]);
    expect(a[0].message).toMatch(/cannot exist beside/);
    expect(a[0].path).toEqual(["add", 0, "type"]);
    const b = checkZoneRules(ZONE, view(apexNs, rec("www.example.test", "CNAME", "x.example.net."), rec("www.example.test", "TXT", '"x"', ["add", 0])), ["www.example.test"]);
    expect(b[0].message).toMatch(/cannot exist beside/);
  });

  it("refuses two CNAMEs at one name", () => {
    const issues = checkZoneRules(ZONE, view(apexNs, rec("w.example.test", "CNAME", "a.example.net."), rec("w.example.test", "CNAME", "b.example.net.", ["add", 0])), ["w.example.test"]);
    expect(issues[0].message).toMatch(/only one CNAME/);
  });

  it("refuses MX/NS/SRV targets that are CNAMEs inside the zone (RFC 2181 §10.3)", () => {
    const issues = checkZoneRules(ZONE, view(apexNs, rec(ZONE, "MX", "10 mail.example.test.", ["add", 0]), rec("mail.example.test", "CNAME", "x.example.net.")), [ZONE]);
    expect(issues).toEqual([{ path: ["add", 0, "content"], message: expect.stringMatching(/is a CNAME/) }]);
  });

  it("refuses a new CNAME at a name an MX points at", () => {
    const issues = checkZoneRules(ZONE, view(apexNs, rec(ZONE, "MX", "10 mail.example.test."), rec("mail.example.test", "CNAME", "x.example.net.", ["add", 0])), ["mail.example.test"]);
    expect(issues.some((i) => /target of MX/.test(i.message))).toBe(true);
  });

  it("refuses NS and SRV targets that are CNAMEs, and CNAMEs where an NS or SRV points", () => {
    const cname = (origin?: (string | number)[]) => rec("host.example.test", "CNAME", "x.example.net.", origin);
    const pointers = [rec(ZONE, "NS", "host.example.test."), rec("_sip._tcp.example.test", "SRV", "0 0 5060 host.example.test.")];
    for (const p of pointers) {
      const forward = checkZoneRules(ZONE, view(apexNs, { ...p, origin: ["add", 0] }, cname()), [p.name]);
      expect(forward).toEqual([{ path: ["add", 0, "content"], message: expect.stringMatching(new RegExp(`^${p.type} target host.example.test is a CNAME`)) }]);
      const reverse = checkZoneRules(ZONE, view(apexNs, p, cname(["add", 0])), ["host.example.test"]);
      expect(reverse).toEqual([{ path: ["add", 0, "type"], message: expect.stringMatching(new RegExp(`target of ${p.type} at ${p.name}`)) }]);
    }
  });

  it("refuses duplicates", () => {
    const issues = checkZoneRules(ZONE, view(apexNs, rec("a.example.test", "A", "192.0.2.1"), rec("a.example.test", "A", "192.0.2.1", ["add", 0])), ["a.example.test"]);
    expect(issues).toEqual([{ path: ["add", 0, "content"], message: expect.stringMatching(/already has/) }]);
  });

  it("keeps at least one NS at the apex", () => {
    expect(checkZoneRules(ZONE, view(rec(ZONE, "A", "192.0.2.1")), [ZONE])[0].message).toMatch(/at least one NS/);
  });
});
