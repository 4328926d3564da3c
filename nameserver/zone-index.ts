// The in-memory index of one zone: RRsets by owner name, plus what lookup needs to tell apart
// "no such name" from "name exists but has no data" (empty non-terminals) and to find zone cuts.
//
// Compact, because a registry's TLD zone or a big customer zone holds hundreds of thousands of
// records: a record is its stored content string (and TTL), nothing more. The rdata dns-packet
// encodes is read from the content when an answer is built (nameserver/record-data.ts), which
// happens once per distinct question: the answer cache keeps the encoded bytes.
//
// Changed in place by deltas (applyDelta: one change set, from the journal), so an edit costs
// what it changes; `revision` moves on every change, which is how the answer cache knows an
// entry built from this zone is stale without holding on to the zone. Everything here is
// synchronous: a query never sees a delta half applied.
import type { SoaFields, ZoneFileRecord } from "../lib/zone/zone-file.ts";
import { recordData } from "./record-data.ts";

/** A resource record as dns-packet encodes it. */
export interface Answer {
  name: string;
  type: string;
  class: "IN";
  ttl: number;
  data: unknown;
}

/** The records of one name and type, as lookup sees them (built on demand from a node). */
export interface RRset {
  type: string;
  /** The TTL served for the whole RRset: the lowest of its records (RFC 2181 §5.2). */
  ttl: number;
  /** Stored content of each record, in canonical presentation form. */
  contents: string[];
}

/**
 * The records at one name, flat: [type, ttl, content, type, ttl, content, ...]. One small
 * array per name, rather than objects per RRset and per record: a million records are a
 * million names in a TLD zone, and each object costs memory and load time (V8 copies every
 * young object that survives). RRsets are put together when an answer is built (cache misses).
 */
type Node = (string | number)[];
const STRIDE = 3;

function hasType(node: Node, type: string): boolean {
  for (let i = 0; i < node.length; i += STRIDE) if (node[i] === type) return true;
  return false;
}

/** One change set as the journal has it (ZoneChange.added / removed). */
export interface ZoneDelta {
  added: ZoneFileRecord[];
  removed: ZoneFileRecord[];
}

export class DeltaError extends Error {}

/**
 * A zone as read from the database, compared record by record with the index that serves it
 * (ZoneIndex.compare): what must be added and removed to make the index equal to what was read.
 */
export interface ZoneComparison {
  /** One record as read; its content is text[contentStart..contentEnd) (see zone-loader.ts OnRecord). */
  see(name: string, type: string, ttl: number, text: string, contentStart?: number, contentEnd?: number): void;
  /** The differences, or null when there are more than the limit or the index changed meanwhile. */
  differences(): Promise<ZoneDelta | null>;
}

let lastRevision = 0;
/** Unique across the process: two states of any zones never share a revision. */
const nextRevision = () => ++lastRevision;

/** The name one label up ("a.b.test" -> "b.test", "test" -> "" the root). */
export function parentName(name: string): string {
  const dot = name.indexOf(".");
  return dot === -1 ? "" : name.slice(dot + 1);
}

/** `label` below `parent` ("*" below "" is "*", below "b.test" is "*.b.test"). */
export function childName(label: string, parent: string): string {
  return parent === "" ? label : `${label}.${parent}`;
}

export class ZoneIndex {
  readonly name: string;
  serial: number;
  revision = nextRevision();
  soa: Answer;
  /** The SOA as sent in negative answers: TTL = min(SOA TTL, MINIMUM) (RFC 2308 §3, §5). */
  negativeSoa: Answer;
  private soaFields: SoaFields;
  private readonly nodes = new Map<string, Node>();
  /** For each name with data below it (apex excluded): how many names with data are below. */
  private readonly below = new Map<string, number>();
  /** Owner names of NS RRsets below the apex: zone cuts (RFC 1034 §4.2.1). */
  readonly cuts = new Set<string>();
  private recordTotal = 0;

  constructor(zone: SoaFields & { id?: string }, records: Iterable<ZoneFileRecord> = []) {
    this.name = zone.name;
    this.serial = zone.serial;
    this.soaFields = { ...zone };
    this.soa = this.negativeSoa = this.soaAnswer();
    this.setSerial(zone.serial);
    this.nodes.set(this.name, ["SOA", zone.soaTtl, ""]);
    this.addRecords(records);
  }

  private soaAnswer(): Answer {
    const z = this.soaFields;
    const data = { mname: z.primaryNs, rname: z.hostmaster, serial: this.serial, refresh: z.refresh, retry: z.retry, expire: z.expire, minimum: z.minimum };
    return { name: this.name, type: "SOA", class: "IN", ttl: z.soaTtl, data };
  }

  private setSerial(serial: number) {
    this.serial = serial;
    this.soa = this.soaAnswer();
    this.negativeSoa = { ...this.soa, ttl: Math.min(this.soaFields.soaTtl, this.soaFields.minimum) };
  }

  /** Adds records to an index that is not served yet (see addRecord). */
  addRecords(records: Iterable<ZoneFileRecord>) {
    for (const r of records) this.addRecord(r.name, r.type, r.ttl, r.content);
    this.sealLoad();
  }

  /**
   * Adds one record to an index that is not served yet: a load in progress, in slices
   * (nameserver/zone-loader.ts). Call sealLoad() when it is complete. Served indexes change
   * through applyDelta only.
   */
  addRecord(name: string, type: string, ttl: number, content: string) {
    const node = this.nodes.get(name);
    if (node === undefined) {
      this.nodes.set(name, [type, ttl, content]);
      this.countAncestors(name, +1);
    } else node.push(type, ttl, content);
    if (type === "NS" && name !== this.name) this.cuts.add(name);
    this.recordTotal++;
  }

  /** A load is complete: a new state, so a new revision. */
  sealLoad() {
    this.revision = nextRevision();
  }

  /** Where a record is in its node (its type's slot), skipping slots already `taken`; -1 when absent. */
  private static slotOf(node: Node, r: ZoneFileRecord, taken?: Set<number>): number {
    for (let i = 0; i < node.length; i += STRIDE) {
      if (node[i] === r.type && node[i + 2] === r.content && !taken?.has(i)) return i;
    }
    return -1;
  }

  private removeRecord(r: ZoneFileRecord) {
    const node = this.nodes.get(r.name)!;
    node.splice(ZoneIndex.slotOf(node, r), STRIDE);
    this.recordTotal--;
    if (r.type === "NS" && !hasType(node, "NS")) this.cuts.delete(r.name);
    if (node.length === 0) {
      this.nodes.delete(r.name);
      this.countAncestors(r.name, -1);
    }
  }

  /** Counts a name with data in (or out of) every ancestor strictly between it and the apex. */
  private countAncestors(name: string, by: 1 | -1) {
    if (name === this.name) return;
    for (let n = parentName(name); n !== this.name && n.length > this.name.length; n = parentName(n)) {
      const count = (this.below.get(n) ?? 0) + by;
      if (count === 0) this.below.delete(n);
      else this.below.set(n, count);
    }
  }

  /**
   * Applies one change set (from serial `this.serial` to `serial`): removals first, then
   * additions, as the write path did. Checked before anything changes: when a removed record is
   * not here (this index is not the version the change was made to), throws DeltaError and
   * leaves the index as it was; the caller then reloads the zone whole.
   */
  applyDelta(delta: ZoneDelta, serial: number, soa?: Omit<SoaFields, "name" | "serial">) {
    // Removals must each find a distinct record: two removals of equal records need two.
    const claimed = new Map<Node, Set<number>>();
    for (const r of delta.removed) {
      const node = this.nodes.get(r.name);
      const taken = node ? (claimed.get(node) ?? new Set<number>()) : undefined;
      const at = node ? ZoneIndex.slotOf(node, r, taken) : -1;
      if (at === -1) throw new DeltaError(`${r.type} ${r.content} at ${r.name} is not in the served zone`);
      taken!.add(at);
      claimed.set(node!, taken!);
    }
    for (const r of delta.removed) this.removeRecord(r);
    for (const r of delta.added) this.addRecord(r.name, r.type, r.ttl, r.content);
    if (soa) {
      this.soaFields = { ...this.soaFields, ...soa };
      this.rrsetTtl(this.name, "SOA", soa.soaTtl);
    }
    this.setSerial(serial);
    this.revision = nextRevision();
  }

  /** Sets the TTL of the (single-record) RRset kept for the SOA at the apex. */
  private rrsetTtl(name: string, type: string, ttl: number) {
    const node = this.nodes.get(name)!;
    for (let i = 0; i < node.length; i += STRIDE) if (node[i] === type) node[i + 1] = ttl;
  }

  /**
   * Starts comparing this index with the zone as read again from the database (a whole load of
   * a zone we already serve). Reading builds nothing: a record we hold is only marked, so the
   * strings read die young, and applying the few differences afterwards is one delta. Building
   * a whole new index instead made every record a young object that survives V8's scavenges,
   * which copy them on the answering thread: 18-22 ms pauses for a 100,000-record zone.
   * More than `limit` differences (an import): null, and the caller builds a new index.
   */
  compare(limit: number): ZoneComparison {
    const startRevision = this.revision;
    // Per node, which of its records were read: a bit mask (a Smi) up to 30 records, a set beyond.
    const marks = new Map<Node, number | Set<number>>();
    const added: ZoneFileRecord[] = [];
    let overflow = false;
    const mark = (node: Node, k: number) => {
      const m = marks.get(node);
      if (k < 30 && (m === undefined || typeof m === "number")) marks.set(node, (m ?? 0) | (1 << k));
      else {
        const set = typeof m === "object" ? m : new Set<number>(Array.from({ length: 30 }, (_, b) => b).filter((b) => ((m ?? 0) & (1 << b)) !== 0));
        set.add(k);
        marks.set(node, set);
      }
    };
    const marked = (m: number | Set<number> | undefined, k: number) =>
      m !== undefined && (typeof m === "number" ? k < 30 && (m & (1 << k)) !== 0 : m.has(k));
    return {
      see: (name, type, ttl, text, contentStart = 0, contentEnd = text.length) => {
        if (overflow) return;
        const node = this.nodes.get(name);
        if (node !== undefined) {
          const length = contentEnd - contentStart;
          for (let i = 0; i < node.length; i += STRIDE) {
            if (node[i] !== type || node[i + 1] !== ttl) continue;
            const held = node[i + 2] as string;
            if (held.length === length && text.startsWith(held, contentStart)) return mark(node, i / STRIDE);
          }
        }
        if (added.length >= limit) overflow = true;
        else added.push({ name, type, ttl, content: text.slice(contentStart, contentEnd) });
      },
      differences: async () => {
        if (overflow) return null;
        const removed: ZoneFileRecord[] = [];
        let visited = 0;
        for (const [name, node] of this.nodes) {
          const m = marks.get(node);
          for (let i = 0; i < node.length; i += STRIDE) {
            if (node[i] === "SOA" || marked(m, i / STRIDE)) continue;
            removed.push({ name, type: node[i] as string, ttl: node[i + 1] as number, content: node[i + 2] as string });
            if (added.length + removed.length > limit) return null;
          }
          if (++visited % 5_000 === 0) {
            await new Promise<void>((resolve) => setImmediate(resolve));
            if (this.revision !== startRevision) return null;
          }
        }
        return this.revision === startRevision ? { added, removed } : null;
      },
    };
  }

  /** The RRsets at a name, in the order their types first appear; undefined when it has no data. */
  node(name: string): RRset[] | undefined {
    const node = this.nodes.get(name);
    if (node === undefined) return undefined;
    const sets: RRset[] = [];
    for (let i = 0; i < node.length; i += STRIDE) {
      const type = node[i] as string;
      const ttl = node[i + 1] as number;
      const set = sets.find((s) => s.type === type);
      if (set === undefined) sets.push({ type, ttl, contents: [node[i + 2] as string] });
      else {
        set.contents.push(node[i + 2] as string);
        if (ttl < set.ttl) set.ttl = ttl;
      }
    }
    return sets;
  }

  rrset(name: string, type: string): RRset | undefined {
    const node = this.nodes.get(name);
    if (node === undefined || !hasType(node, type)) return undefined;
    return this.node(name)!.find((s) => s.type === type);
  }

  /**
   * The records of an RRset as they go on the wire, under `owner` (the query name for a
   * wildcard), every one with the RRset's TTL. A record whose stored content cannot be read is
   * left out (and said once): one bad row must not cost the whole RRset.
   */
  answers(set: RRset, owner: string): Answer[] {
    if (set.type === "SOA") return [{ ...this.soa, name: owner }];
    const out: Answer[] = [];
    for (const content of set.contents) {
      try {
        out.push({ name: owner, type: set.type, class: "IN", ttl: set.ttl, data: recordData(set.type, content, this.name) });
      } catch (e) {
        unreadable(this.name, set.type, content, e as Error);
      }
    }
    return out;
  }

  /** True when the name is in the tree: it has data, or names below it do (RFC 4592 §2.2.2). */
  exists(name: string): boolean {
    return this.nodes.has(name) || this.below.has(name);
  }


  /** Records held, the SOA not included. */
  get recordCount(): number {
    return this.recordTotal;
  }
}

const reported = new Set<string>();
function unreadable(zone: string, type: string, content: string, e: Error) {
  const key = `${zone} ${type} ${content}`;
  if (reported.has(key) || reported.size > 1000) return;
  reported.add(key);
  console.error(`[nameserver] ${zone}: cannot read stored ${type} "${content}" (${e.message}); left out of answers`);
}
