// The nameserver reads stored content without zod (nameserver/record-data.ts); what it reads
// must be exactly what the per-type schemas give, for every type and the tricky forms.
import { describe, expect, it } from "vitest";
import { validateRecord } from "../../lib/records/record-input.ts";
import { RECORD_TYPES, type RecordType } from "../../lib/records/types.ts";
import { recordData, recordDataViaSchemas } from "../../nameserver/record-data.ts";

const ZONE = "example.test";
// Typed the way people type them; stored as the write path stores them (canonical content).
const INPUTS: Record<RecordType, string[]> = {
  A: ["192.0.2.1", "0.0.0.0"],
  AAAA: ["2001:db8::1", "2001:DB8:0:0:0:0:0:2", "::ffff:192.0.2.1"],
  CNAME: ["web", "web.example.test.", "cdn.elsewhere.net.", "@"],
  MX: ["10 mail", "0 .", "65535 mx.other.net."],
  TXT: ["v=spf1 -all", '"quoted" "two strings"', '"with \\"escape\\" and \\255 byte"', "é ünïcode", "x".repeat(600)],
  SRV: ["0 5 5060 sip", "10 0 0 ."],
  CAA: ['0 issue "letsencrypt.org"', '128 tbs "critical ü"', '0 iodef "mailto:sec@example.test"'],
  NS: ["ns1.example.net.", "ns1"],
  PTR: ["host.example.test."],
  DS: ["12345 13 2 " + "ab".repeat(32), "1 8 4 " + "CD".repeat(48)],
};

describe("stored content read without the schemas", () => {
  it("covers every record type", () => {
    expect(Object.keys(INPUTS).sort()).toEqual([...RECORD_TYPES].sort());
  });

  for (const type of RECORD_TYPES) {
    it(`${type}: the same rdata as the schemas give`, () => {
      for (const input of INPUTS[type]) {
        const v = validateRecord({ name: type === "SRV" ? "_sip._tcp" : "x", type, content: input }, ZONE, 300);
        if (!v.ok) throw new Error(`${type} ${input}: ${JSON.stringify(v.issues)}`);
        const stored = v.record.content;
        expect(recordData(type, stored, ZONE), `${type} "${stored}"`).toEqual(recordDataViaSchemas(type, stored, ZONE));
      }
    });
  }

  it("throws on content that is not what the write path stores", () => {
    expect(() => recordData("HINFO", "x", ZONE)).toThrow();
  });
});
