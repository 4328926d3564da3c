// A stored record shown in its edit form and saved unchanged gives back the same record.
import { describe, expect, it } from "vitest";
import { formValuesOf } from "../../lib/records/form-values.ts";
import { validateRecord } from "../../lib/records/record-input.ts";
import type { RecordType } from "../../lib/records/types.ts";

const ZONE = "example.test";
const SAMPLES: [RecordType, string][] = [
  ["A", "192.0.2.1"],
  ["AAAA", "2001:db8::1"],
  ["CNAME", "www.example.net"],
  ["CNAME", "web"],
  ["MX", "10 mail"],
  ["MX", "0 ."],
  ["NS", "ns1.example.net."],
  ["PTR", "host.example.com."],
  ["SRV", "10 5 5060 sip.example.net."],
  ["SRV", "0 0 0 ."],
  ["TXT", "v=spf1 -all"],
  ["TXT", "x".repeat(600)],
  ["TXT", '"first string" "second string"'],
  ["TXT", "grüße"],
  ["CAA", '0 issue "letsencrypt.org"'],
  ["CAA", '128 iodef "mailto:security@example.test"'],
];

describe("formValuesOf", () => {
  for (const [type, input] of SAMPLES) {
    it(`${type} ${input.slice(0, 40)}`, () => {
      const name = type === "SRV" ? "_sip._tcp" : "x";
      const first = validateRecord({ name, type, content: input }, ZONE, 3600);
      expect(first.ok).toBe(true);
      if (!first.ok) return;
      const values = formValuesOf(type, first.record.content, ZONE);
      const again = validateRecord({ name, type, ttl: 3600, fields: values }, ZONE, 3600);
      expect(again).toMatchObject({ ok: true, record: { content: first.record.content } });
    });
  }

  it("an empty number field is missing, not zero", () => {
    const r = validateRecord({ name: "@", type: "MX", fields: { priority: "", exchange: "mail" } }, ZONE, 3600);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toEqual([{ path: ["priority"], message: "priority must be a number" }]);
  });
});
