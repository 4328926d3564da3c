// The in-memory index of one zone: RRsets by owner name and type, plus what lookup needs to
// tell apart "no such name" from "name exists but has no data" (empty non-terminals) and to
// find zone cuts. Immutable: a change to the zone builds a new index and swaps it in.
/** A resource record as dns-packet encodes it. */
export interface Answer {
  name: string;
  type: string;
  class: "IN";
  ttl: number;
  data: unknown;
}
import { parseStoredContent } from "../lib/records/record-input.ts";
import { RECORD_TYPE_SPECS, type RecordType } from "../lib/records/types.ts";
import type { SoaFields, ZoneFileRecord } from "../lib/zone/zone-file.ts";

export interface RRset {
  name: string;
  type: string;
  ttl: number;
  records: Answer[];
}

export class ZoneIndex {
  readonly name: string;
  readonly serial: number;
  readonly soa: Answer;
  /** The SOA as sent in negative answers: TTL = min(SOA TTL, MINIMUM) (RFC 2308 §3, §5). */
  readonly negativeSoa: Answer;
  private readonly nodes = new Map<string, Map<string, RRset>>();
  /** Names that have something below them; with no data of their own they are empty non-terminals. */
  private readonly ancestors = new Set<string>();
  /** Owner names of NS RRsets below the apex: zone cuts (RFC 1034 §4.2.1). */
  readonly cuts = new Set<string>();

  constructor(zone: SoaFields & { id?: string }, records: ZoneFileRecord[]) {
    this.name = zone.name;
    this.serial = zone.serial;
    const soaData = {
      mname: zone.primaryNs, rname: zone.hostmaster, serial: zone.serial,
      refresh: zone.refresh, retry: zone.retry, expire: zone.expire, minimum: zone.minimum,
    };
    this.soa = { name: zone.name, type: "SOA", class: "IN", ttl: zone.soaTtl, data: soaData } as Answer;
    this.negativeSoa = { ...this.soa, ttl: Math.min(zone.soaTtl, zone.minimum) } as Answer;
    this.add(this.soa);
    for (const r of records) {
      const type = r.type as RecordType;
      const spec = RECORD_TYPE_SPECS[type];
      if (!spec) continue;
      const data = spec.toWire(parseStoredContent(type, r.content, zone.name));
      this.add({ name: r.name, type, class: "IN", ttl: r.ttl, data } as Answer);
    }
    for (const name of this.nodes.keys()) {
      for (let n = name; n !== this.name && n.includes("."); ) {
        n = n.slice(n.indexOf(".") + 1);
        this.ancestors.add(n);
      }
      if (name !== this.name && this.nodes.get(name)!.has("NS")) this.cuts.add(name);
    }
  }

  private add(rr: Answer) {
    let node = this.nodes.get(rr.name);
    if (!node) this.nodes.set(rr.name, (node = new Map()));
    const set = node.get(rr.type);
    if (!set) node.set(rr.type, { name: rr.name, type: rr.type, ttl: rr.ttl, records: [rr] });
    else {
      set.records.push(rr);
      // One TTL per RRset (RFC 2181 §5.2): serve the lowest, as resolvers would treat it.
      if (rr.ttl < set.ttl) set.ttl = rr.ttl;
    }
  }

  node(name: string): Map<string, RRset> | undefined {
    return this.nodes.get(name);
  }

  /** True when the name is in the tree: it has data, or names below it do (RFC 4592 §2.2.2). */
  exists(name: string): boolean {
    return this.nodes.has(name) || this.ancestors.has(name);
  }

  get nameCount(): number {
    return this.nodes.size;
  }
}
