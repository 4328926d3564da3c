// What the nameserver was asked, counted on the answering path at the cost of an increment or
// two: queries by zone, query type, response code and transport, and the most asked names of
// each zone. metrics.ts reads the counts when Prometheus scrapes; query-stats-rollup.ts writes
// the per-minute differences to PostgreSQL (QueryStat, QueryNameStat).
//
// Speed. Nothing here builds a string or looks up a composite key per query. The counts live
// in cells, one per (zone, qtype label, rcode): a cached answer always has the same zone, qtype
// and rcode, so answer-query.ts puts the cell (and its name's count in the zone's top names) on
// the cached sections when the answer is built; a cache hit then costs `cell.udp++` and
// `nameCount.count++`. Finding the cell (a Map by zone name, then a Map by a small integer)
// happens only when an answer is built (a cache miss: a lookup and an encoding anyway) and on
// the rare paths that are not cached (FORMERR, NOTIMP, BADVERS, REFUSED for a class or a
// transfer).
//
// Bounded. Zones: one entry per served zone that was asked something (names outside every
// served zone share NO_ZONE). Qtypes: a fixed set, the rest counted as "other". Rcodes: the
// ones a server can send, by mnemonic. Top names: a space-saving summary of TOP_NAMES_TRACKED
// names per zone (Metwally et al., 2005), emptied at each rollup.

/** The zone of a query outside every served zone (REFUSED), and of queries never looked up. */
export const NO_ZONE = "";

/** The query types counted by name; any other is counted as OTHER_QTYPE. */
export const COUNTED_QTYPES: Readonly<Record<number, string>> = {
  1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 13: "HINFO", 15: "MX", 16: "TXT", 28: "AAAA",
  29: "LOC", 33: "SRV", 35: "NAPTR", 43: "DS", 44: "SSHFP", 46: "RRSIG", 47: "NSEC", 48: "DNSKEY",
  50: "NSEC3", 51: "NSEC3PARAM", 52: "TLSA", 59: "CDS", 60: "CDNSKEY", 61: "OPENPGPKEY", 64: "SVCB",
  65: "HTTPS", 99: "SPF", 251: "IXFR", 252: "AXFR", 255: "ANY", 257: "CAA",
};
export const OTHER_QTYPE = "other";

/** Response codes by number (RFC 6895 §2.3; 16 is BADVERS, carried in the OPT record). */
const RCODE_NAMES: Readonly<Record<number, string>> = {
  0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED", 6: "YXDOMAIN",
  7: "YXRRSET", 8: "NXRRSET", 9: "NOTAUTH", 10: "NOTZONE", 11: "DSOTYPENI", 16: "BADVERS",
};
/** Rcodes from this one up share a cell (none is sent today). */
const RCODE_SLOTS = 32;

/** qtype number -> index in QTYPE_LABELS (0: other). One array read per cell lookup. */
const QTYPE_INDEX = new Uint8Array(65536);
const QTYPE_LABELS: string[] = [OTHER_QTYPE];
for (const [type, name] of Object.entries(COUNTED_QTYPES)) {
  QTYPE_INDEX[Number(type)] = QTYPE_LABELS.length;
  QTYPE_LABELS.push(name);
}
const RCODE_LABELS = Array.from({ length: RCODE_SLOTS }, (_, i) => (i === RCODE_SLOTS - 1 ? "other" : (RCODE_NAMES[i] ?? `RCODE${i}`)));

/** The label of a query type: its mnemonic if counted by name, else "other". */
export function qtypeLabel(qtype: number): string {
  return QTYPE_LABELS[QTYPE_INDEX[qtype & 0xffff]];
}

/** The label of a response code: its mnemonic. */
export function rcodeLabel(rcode: number): string {
  return RCODE_LABELS[Math.min(rcode, RCODE_SLOTS - 1)];
}

/** The queries of one (zone, qtype, rcode), by transport. Only ever grows (Prometheus counters). */
export class QueryCell {
  udp = 0;
  tcp = 0;
  /** What the last rollup took (query-stats-rollup.ts writes the differences). */
  rolledUdp = 0;
  rolledTcp = 0;
  /** The zone's top names (null for NO_ZONE), where the queries of this cell count their names. */
  constructor(readonly zone: string, readonly qtype: string, readonly rcode: string, readonly topNames: TopNames | null) {}
}

/** One name's count in a TopNames summary; `live` turns false when the summary lets it go. */
export class NameCount {
  live = true;
  constructor(readonly name: string, public count: number) {}
}

/** The most asked names of one zone since the last rollup: a space-saving summary. */
export const TOP_NAMES_TRACKED = 32;

export class TopNames {
  private readonly byName = new Map<string, NameCount>();
  private counts: NameCount[] = [];

  constructor(private readonly capacity = TOP_NAMES_TRACKED) {}

  /**
   * Counts one query for `name` and returns the count that holds it. When the summary is full,
   * a new name takes the place of the least counted one and inherits its count (plus one): a
   * name asked more than 1/capacity of the time is always in, and counts are never under.
   */
  offer(name: string): NameCount {
    let held = this.byName.get(name);
    if (held !== undefined) {
      held.count++;
      return held;
    }
    if (this.counts.length < this.capacity) {
      held = new NameCount(name, 1);
      this.counts.push(held);
    } else {
      let min = 0;
      for (let i = 1; i < this.counts.length; i++) if (this.counts[i].count < this.counts[min].count) min = i;
      const evicted = this.counts[min];
      evicted.live = false;
      this.byName.delete(evicted.name);
      held = new NameCount(name, evicted.count + 1);
      this.counts[min] = held;
    }
    this.byName.set(name, held);
    return held;
  }

  get size(): number {
    return this.counts.length;
  }

  /** The `n` most counted names, most first (ties by name, so the result is stable). */
  top(n: number): { name: string; count: number }[] {
    return [...this.counts]
      .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .slice(0, n)
      .map(({ name, count }) => ({ name, count }));
  }

  /** Starts over (each rollup): the counts held are let go, so slots pointing at them refresh. */
  clear() {
    for (const c of this.counts) c.live = false;
    this.counts = [];
    this.byName.clear();
  }
}

/** Everything counted for one zone name. */
export class ZoneQueryStats {
  /** By qtype index * RCODE_SLOTS + rcode slot. */
  readonly cells = new Map<number, QueryCell>();
  /** null for NO_ZONE: names outside our zones are not anyone's top names. */
  readonly topNames: TopNames | null;
  constructor(readonly zone: string) {
    this.topNames = zone === NO_ZONE ? null : new TopNames();
  }
}

/** Counters of one nameserver process, shared by every view (the zone label is the zone's name). */
export class QueryCounters {
  readonly zones = new Map<string, ZoneQueryStats>();
  /** Packets answered with nothing: not even a header could be read, or they were responses. */
  dropped = 0;

  zone(zone: string): ZoneQueryStats {
    let stats = this.zones.get(zone);
    if (stats === undefined) this.zones.set(zone, (stats = new ZoneQueryStats(zone)));
    return stats;
  }

  /** The cell of (zone, qtype, rcode): not per query, see the top of the file. */
  cell(zone: string, qtype: number, rcode: number): QueryCell {
    const stats = this.zone(zone);
    const qtypeIndex = QTYPE_INDEX[qtype & 0xffff];
    const rcodeSlot = Math.min(rcode, RCODE_SLOTS - 1);
    const key = qtypeIndex * RCODE_SLOTS + rcodeSlot;
    let cell = stats.cells.get(key);
    if (cell === undefined) stats.cells.set(key, (cell = new QueryCell(zone, QTYPE_LABELS[qtypeIndex], RCODE_LABELS[rcodeSlot], stats.topNames)));
    return cell;
  }

  /** Counts one query answered off the cached path (parse errors, BADVERS, REFUSED class or transfer). */
  countUncached(qtype: number, rcode: number, tcp: boolean) {
    const cell = this.cell(NO_ZONE, qtype, rcode);
    if (tcp) cell.tcp++;
    else cell.udp++;
  }

  /** Every cell, for metrics.ts. */
  *cells(): Iterable<QueryCell> {
    for (const stats of this.zones.values()) yield* stats.cells.values();
  }
}
