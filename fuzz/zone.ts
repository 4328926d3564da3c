// The zone the fuzzer aims at: one of each shape of answer (plain, CNAME chain, wildcard, empty
// non-terminal, delegation with glue, MX with additional data, an RRset too large for UDP), so
// that the valid and mutated queries reach every path of lookup and the encoder. The same
// records serve `npm run fuzz` (written through the real write path into its own database) and
// the bounded round in the tests (through the tests' factories).
import type { RecordInput } from "../lib/records/record-input.ts";
import type { LivenessProbe } from "./harness.ts";
import type { FuzzZone } from "./mutators.ts";

export function fuzzZoneRecords(apex: string): RecordInput[] {
  return [
    { name: "@", type: "A", ttl: 300, content: "192.0.2.1" },
    { name: "@", type: "AAAA", ttl: 300, content: "2001:db8::1" },
    { name: "@", type: "MX", ttl: 300, content: "10 mail" },
    { name: "@", type: "TXT", ttl: 300, content: "v=spf1 -all" },
    { name: "@", type: "CAA", ttl: 300, content: '0 issue "letsencrypt.org"' },
    { name: "www", type: "A", ttl: 300, content: "192.0.2.80" },
    { name: "mail", type: "A", ttl: 300, content: "192.0.2.25" },
    { name: "mail", type: "AAAA", ttl: 300, content: "2001:db8::25" },
    { name: "alias", type: "CNAME", ttl: 300, content: "www" },
    { name: "x.deep", type: "TXT", ttl: 300, content: "deep" },
    { name: "*.wild", type: "A", ttl: 300, content: "192.0.2.99" },
    { name: "sub", type: "NS", ttl: 300, content: `ns1.sub.${apex}.` },
    { name: "ns1.sub", type: "A", ttl: 300, content: "192.0.2.53" },
    { name: "_sip._tcp", type: "SRV", ttl: 300, content: "10 20 5060 www" },
    { name: "1.2", type: "PTR", ttl: 300, content: "host.example.net." },
    // 30 TXT records of ~200 bytes: larger than any UDP answer, so truncation runs too.
    ...Array.from({ length: 30 }, (_, i) => ({ name: "big", type: "TXT", ttl: 300, content: `${i} ${"x".repeat(200)}` })),
  ];
}

export function fuzzZone(apex: string): FuzzZone {
  const names = ["@", "www", "mail", "alias", "deep", "x.deep", "a.wild", "sub", "host.sub", "ns1.sub", "_sip._tcp", "1.2", "big", "nothing"];
  return { apex, names: names.map((n) => (n === "@" ? apex : `${n}.${apex}`)) };
}

/** The liveness check's question and its one right answer. */
export const fuzzProbe = (apex: string): LivenessProbe => ({ name: `www.${apex}`, address: "192.0.2.80" });

/**
 * Environment for a nameserver under fuzzing: response rate limiting off (lib/config.ts: every
 * rate 0), or the liveness checks (and most replies, all from one address) would be rate
 * limited rather than answered. The per-kind rates default to the first; they are set too so
 * that one left in the caller's environment cannot turn a class back on.
 */
export const FUZZ_NAMESERVER_ENV: Record<string, string> = {
  DNS_RRL_RESPONSES_PER_SECOND: "0",
  DNS_RRL_NXDOMAINS_PER_SECOND: "0",
  DNS_RRL_NODATA_PER_SECOND: "0",
  DNS_RRL_REFERRALS_PER_SECOND: "0",
  DNS_RRL_ERRORS_PER_SECOND: "0",
};
