// Lookup: a pure function from a question to the sections of an answer and a verdict. No
// sockets, no database, no clock: tests/unit/lookup.test.ts drives it with plain data.
//
// The algorithm (RFC 1034 §4.3.2, with RFC 4592 for wildcards and RFC 2308 for negatives):
//   1. Find the zone: the longest served zone name that the query name ends with. None: REFUSED.
//   2. Walk down from the label below the apex towards the query name. The first name with an
//      NS RRset is a zone cut: answer with a referral (AA=0, the NS in authority, addresses of
//      the nameservers we know in additional). Nothing at or below a cut is ours to answer.
//   3. If the name has data: the RRset of the asked type is the answer. If it has a CNAME
//      instead, answer the CNAME and, when its target is in a zone we serve, follow it and
//      append what we find there. Otherwise NODATA.
//   4. If the name has no data but names below it exist, it is an empty non-terminal: NODATA.
//   5. Otherwise find the closest encloser (the longest existing ancestor). If "*.<encloser>"
//      exists, synthesise the answer from it with the query name as owner (step 3 rules).
//   6. Otherwise NXDOMAIN.
// Negative answers carry the zone's SOA in authority with TTL min(SOA TTL, MINIMUM).
import type { Answer, ZoneIndex, RRset } from "./zone-index.ts";
import type { ZoneSet } from "./zone-set.ts";

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, BADVERS: 16 } as const;

export type Verdict = "answer" | "cname" | "referral" | "nodata" | "nxdomain" | "refused";

export interface LookupResult {
  verdict: Verdict;
  rcode: number;
  aa: boolean;
  answer: Answer[];
  authority: Answer[];
  additional: Answer[];
  /** Every zone whose data the result depends on (the answer cache checks they are current). */
  zones: ZoneIndex[];
}

export interface LookupOptions {
  /** ANY over UDP gets a single RRset (RFC 8482 §4.1); over TCP it gets all of them. */
  tcp?: boolean;
}

const MAX_CNAME_CHAIN = 8;

function withOwner(set: RRset, owner: string): Answer[] {
  // Every record of an RRset goes out with the RRset's (lowest) TTL; wildcards get the query name.
  return set.records.map((rr) => ({ ...rr, name: owner, ttl: set.ttl }) as Answer);
}

function ancestorsBelowApex(qname: string, apex: string): string[] {
  // qname itself last; apex excluded. "a.b.example.test" in "example.test" -> ["b.example.test", "a.b.example.test"]
  const out: string[] = [];
  for (let n = qname; n !== apex && n.length > apex.length; n = n.slice(n.indexOf(".") + 1)) out.unshift(n);
  return out;
}

function addressesFor(zones: ZoneSet, names: string[], used: Set<ZoneIndex>): Answer[] {
  const out: Answer[] = [];
  for (const target of names) {
    const zone = zones.find(target);
    if (!zone) continue;
    // The result depends on this zone even when it has no address for the target (yet): when
    // the zone changes, say to add that address, the cached answer must be rebuilt.
    used.add(zone);
    const node = zone.node(target);
    if (!node) continue;
    for (const type of ["A", "AAAA"]) {
      const set = node.get(type);
      if (set) out.push(...withOwner(set, target));
    }
  }
  return out;
}

function targetOf(rr: Answer): string | undefined {
  const data = rr.data as unknown;
  if (rr.type === "NS" || rr.type === "CNAME") return data as string;
  if (rr.type === "MX") return (data as { exchange: string }).exchange;
  if (rr.type === "SRV") return (data as { target: string }).target;
  return undefined;
}

export function lookup(zones: ZoneSet, qname: string, qtype: string, options: LookupOptions = {}): LookupResult {
  const used = new Set<ZoneIndex>();
  const result: LookupResult = { verdict: "refused", rcode: RCODE.REFUSED, aa: false, answer: [], authority: [], additional: [], zones: [] };
  const visited = new Set<string>();
  let name = qname;

  for (let step = 0; step <= MAX_CNAME_CHAIN; step++) {
    const zone = zones.find(name);
    if (!zone) {
      // Outside every zone we serve: REFUSED for the question itself; after a CNAME, the
      // resolver follows the chain from here (RFC 1034 §4.3.2 step 3a).
      break;
    }
    used.add(zone);
    if (step === 0) result.aa = true;
    visited.add(name);

    const cut = ancestorsBelowApex(name, zone.name).find((n) => zone.cuts.has(n) && !(n === name && qtype === "DS"));
    if (cut) {
      const ns = zone.node(cut)!.get("NS")!;
      result.authority.push(...withOwner(ns, cut));
      result.additional.push(...addressesFor(zones, ns.records.map((r) => r.data as string), used));
      result.rcode = RCODE.NOERROR;
      if (step === 0) {
        result.aa = false;
        result.verdict = "referral";
      }
      break;
    }

    let node = zone.node(name);
    let owner = name;
    if (!node && !zone.exists(name)) {
      // Closest encloser, then the wildcard below it (RFC 4592 §3.3.1).
      let encloser = name;
      do encloser = encloser.slice(encloser.indexOf(".") + 1);
      while (encloser !== zone.name && !zone.exists(encloser));
      node = zone.node(`*.${encloser}`);
      if (!node) {
        result.rcode = RCODE.NXDOMAIN;
        result.verdict = step === 0 ? "nxdomain" : result.verdict;
        result.authority.push(zone.negativeSoa);
        break;
      }
      owner = name; // synthesised records take the query name
    }

    if (!node) {
      // Empty non-terminal: the name exists, with no data (RFC 4592 §2.2.2, RFC 8020 spirit).
      result.rcode = RCODE.NOERROR;
      if (step === 0) result.verdict = "nodata";
      result.authority.push(zone.negativeSoa);
      break;
    }

    if (qtype === "ANY") {
      const sets = [...node.values()];
      const chosen = options.tcp ? sets : sets.slice(0, 1);
      for (const set of chosen) result.answer.push(...withOwner(set, owner));
      result.rcode = RCODE.NOERROR;
      if (step === 0) result.verdict = "answer";
      break;
    }

    const set = node.get(qtype);
    if (set) {
      const records = withOwner(set, owner);
      result.answer.push(...records);
      result.rcode = RCODE.NOERROR;
      if (step === 0) result.verdict = "answer";
      // Additional section processing for names the answer points at (RFC 1035 §3.3.9, §3.3.11).
      if (qtype === "MX" || qtype === "NS" || qtype === "SRV") {
        result.additional.push(...addressesFor(zones, records.map(targetOf).filter((t): t is string => !!t), used));
      }
      break;
    }

    const cname = node.get("CNAME");
    if (cname && qtype !== "CNAME") {
      const [rr] = withOwner(cname, owner);
      result.answer.push(rr);
      result.rcode = RCODE.NOERROR;
      if (step === 0) result.verdict = "cname";
      const target = rr.data as string;
      if (visited.has(target)) break; // a loop: answer what we have, the resolver will give up
      name = target;
      continue;
    }

    result.rcode = RCODE.NOERROR;
    if (step === 0) result.verdict = "nodata";
    result.authority.push(zone.negativeSoa);
    break;
  }

  result.zones = [...used];
  return result;
}
