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
import { childName, parentName, type Answer, type ZoneIndex } from "./zone-index.ts";
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
  /**
   * Minimal responses (DNS_MINIMAL_RESPONSES, on in the nameserver process): no addresses of
   * MX and SRV targets in additional. Resolvers rank such additional data below an answer and
   * ask for the addresses anyway (RFC 2181 §5.4.1), and it makes answers bigger, which feeds
   * amplification. The addresses of a zone's own nameservers in an NS answer stay, like a
   * referral's glue (RFC 9471): they are how a resolver reaches the zone.
   */
  minimal?: boolean;
}

const MAX_CNAME_CHAIN = 8;

function ancestorsBelowApex(qname: string, apex: string): string[] {
  // qname itself last; apex excluded. "a.b.example.test" in "example.test" -> ["b.example.test", "a.b.example.test"].
  // Every step removes a label and stops at the apex, the root ("") included: it terminates.
  const out: string[] = [];
  for (let n = qname; n !== apex && n.length > apex.length; n = parentName(n)) out.unshift(n);
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
    for (const type of ["A", "AAAA"]) {
      const set = zone.rrset(target, type);
      if (set) out.push(...zone.answers(set, target));
    }
  }
  return out;
}

function targetOf(rr: Answer): string | undefined {
  const data = rr.data as unknown;
  let target: string | undefined;
  if (rr.type === "NS" || rr.type === "CNAME") target = data as string;
  else if (rr.type === "MX") target = (data as { exchange: string }).exchange;
  else if (rr.type === "SRV") target = (data as { target: string }).target;
  // The root (a null MX, RFC 7505; "no service" SRV, RFC 2782) has no address to add.
  return target === "." ? undefined : target;
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

    const cut = zone.cuts.size === 0 ? undefined : ancestorsBelowApex(name, zone.name).find((n) => zone.cuts.has(n) && !(n === name && qtype === "DS"));
    if (cut) {
      const ns = zone.answers(zone.rrset(cut, "NS")!, cut);
      result.authority.push(...ns);
      result.additional.push(...addressesFor(zones, ns.map((r) => r.data as string), used));
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
      // Each step removes a label and the apex exists, so this ends there at the latest (the root too).
      let encloser = name;
      do encloser = parentName(encloser);
      while (encloser !== zone.name && encloser.length > zone.name.length && !zone.exists(encloser));
      node = zone.node(childName("*", encloser));
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
      const chosen = options.tcp ? node : node.slice(0, 1);
      for (const set of chosen) result.answer.push(...zone.answers(set, owner));
      result.rcode = RCODE.NOERROR;
      if (step === 0) result.verdict = "answer";
      break;
    }

    const set = node.find((s) => s.type === qtype);
    if (set) {
      const records = zone.answers(set, owner);
      result.answer.push(...records);
      result.rcode = RCODE.NOERROR;
      if (step === 0) result.verdict = "answer";
      // Additional section processing for names the answer points at (RFC 1035 §3.3.9, §3.3.11).
      if (qtype === "NS" || (!options.minimal && (qtype === "MX" || qtype === "SRV"))) {
        result.additional.push(...addressesFor(zones, records.map(targetOf).filter((t): t is string => !!t), used));
      }
      break;
    }

    const cname = node.find((s) => s.type === "CNAME");
    if (cname && qtype !== "CNAME") {
      const [rr] = zone.answers(cname, owner);
      if (!rr) break; // its content could not be read (reported): answer what we have
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
