// Encoded answers by question, bounded by bytes, scan-resistant, holding no zone objects.
//
// Staleness. An entry records the zones its answer was built from as (zone name, revision)
// pairs, plain values: a zone's revision moves on every change to it (in place or by
// replacement, nameserver/zone-index.ts) and is unique across the process, so an entry is
// current while every zone it names is still served at the same revision. Holding names and
// numbers, not ZoneIndex objects, means a cached answer never keeps an old version of a zone
// alive. An entry also remembers the zone set's generation (zones that appeared or went can
// change which zone answers a name) and the zone set's version when it was last known good:
// while that version stands still (no change anywhere) the check per hit is one integer
// comparison; after a change anywhere each dependency is compared once and the entry stamped.
// A stale entry is replaced by the next set() of its key (answer-query.ts does that right
// after the miss) and keeps its place, so a hot answer stays hot across edits of its zone.
//
// Eviction: a segmented LRU (SLRU) bounded by bytes. New entries go into a probation segment;
// a hit there promotes an entry to the protected segment (at most PROTECTED_SHARE of the
// budget). Inserting only ever evicts from probation, so a flood of one-off questions (random
// names: every one a miss, never asked again) churns probation and cannot push out answers
// that were asked for twice or more. When protected outgrows its share its least recently used
// entries go back to the front of probation, one more chance before they can be evicted.
// Hand-written rather than the lru-cache package: plain LRU (which lru-cache is) evicts every
// answer that is not asked for while a flood the size of the budget passes through, however hot
// it was before; here a hit costs a Map lookup plus a few pointer moves.
import type { EncodedSections } from "./response.ts";
import type { ZoneIndex } from "./zone-index.ts";
import type { ZoneSet } from "./zone-set.ts";

/** Default budget per view (DNS_CACHE_BYTES). */
export const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;
/** The part of the budget protected entries (hit at least once after being cached) may take. */
const PROTECTED_SHARE = 0.8;

/**
 * Bytes of an entry besides its key and encoded body: the entry and sections objects, the body's
 * Buffer object, the Map slot, the arrays, the name's count in its zone's top names
 * (query-stats.ts). Measured on Node 20: 100,000 small answers took about 550 bytes each (heap +
 * array buffers), which this estimate puts at about 530.
 */
const ENTRY_OVERHEAD = 480;

interface Link {
  prev: Link;
  next: Link;
}

interface Entry extends Link {
  key: string;
  sections: EncodedSections;
  /** The zones the answer was built from, as names and the revisions they had. */
  zoneNames: string[];
  zoneRevisions: number[];
  generation: number;
  /** ZoneSet.version at which this entry was last known to be current. */
  checkedAt: number;
  bytes: number;
  segment: Segment;
}

/** Entries in recency order: a ring through a sentinel, most recently used first. */
class Segment {
  private readonly sentinel: Link;
  bytes = 0;

  constructor() {
    const sentinel = {} as Link;
    sentinel.prev = sentinel.next = sentinel;
    this.sentinel = sentinel;
  }

  pushFront(entry: Entry) {
    const s = this.sentinel;
    entry.prev = s;
    entry.next = s.next;
    s.next.prev = entry;
    s.next = entry;
    entry.segment = this;
    this.bytes += entry.bytes;
  }

  unlink(entry: Entry) {
    entry.prev.next = entry.next;
    entry.next.prev = entry.prev;
    this.bytes -= entry.bytes;
  }

  /** A hit: to the front, unless it is there already (the hot path: a few pointer writes). */
  moveToFront(entry: Entry) {
    const s = this.sentinel;
    if (s.next === entry) return;
    entry.prev.next = entry.next;
    entry.next.prev = entry.prev;
    entry.prev = s;
    entry.next = s.next;
    s.next.prev = entry;
    s.next = entry;
  }

  /** The least recently used entry, if any. */
  oldest(): Entry | undefined {
    const last = this.sentinel.prev;
    return last === this.sentinel ? undefined : (last as Entry);
  }
}

function entryBytes(key: string, sections: EncodedSections, zoneCount: number): number {
  return ENTRY_OVERHEAD + key.length + sections.body.length + 8 * sections.additionalEnds.length + 16 * zoneCount;
}

export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  /** Probation: entries not hit since they were cached. */
  private readonly probation = new Segment();
  /** Protected: entries hit at least once since they were cached. */
  private readonly protectedSegment = new Segment();
  private readonly protectedLimit: number;
  hits = 0;
  misses = 0;

  constructor(private readonly zoneSet: ZoneSet, readonly maxBytes = DEFAULT_CACHE_BYTES) {
    if (!Number.isFinite(maxBytes) || maxBytes < 0) throw new Error(`the answer cache needs a number of bytes (DNS_CACHE_BYTES), not ${maxBytes}`);
    this.protectedLimit = Math.floor(maxBytes * PROTECTED_SHARE);
  }

  get(key: string): EncodedSections | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined && (entry.checkedAt === this.zoneSet.version || this.stillCurrent(entry))) {
      this.hits++;
      if (entry.segment === this.protectedSegment) this.protectedSegment.moveToFront(entry);
      else this.promote(entry);
      return entry.sections;
    }
    this.misses++;
    return undefined;
  }

  private stillCurrent(entry: Entry): boolean {
    if (entry.generation !== this.zoneSet.generation) return false;
    for (let i = 0; i < entry.zoneNames.length; i++) {
      if (this.zoneSet.get(entry.zoneNames[i])?.revision !== entry.zoneRevisions[i]) return false;
    }
    entry.checkedAt = this.zoneSet.version;
    return true;
  }

  set(key: string, sections: EncodedSections, zones: ZoneIndex[]) {
    const bytes = entryBytes(key, sections, zones.length);
    const existing = this.entries.get(key);
    if (existing) {
      // A stale answer rebuilt: it keeps its segment (a hot answer stays protected).
      const segment = existing.segment;
      segment.unlink(existing);
      if (bytes > this.maxBytes - this.protectedLimit) {
        this.entries.delete(key);
        return;
      }
      this.fill(existing, sections, zones, bytes);
      segment.pushFront(existing);
      this.demoteOverflow();
    } else {
      // Larger than probation can ever hold: not cached (no DNS answer comes near 64 MiB / 5).
      if (bytes > this.maxBytes - this.protectedLimit) return;
      const entry = { key } as Entry;
      this.fill(entry, sections, zones, bytes);
      this.entries.set(key, entry);
      this.probation.pushFront(entry);
    }
    this.shrink();
  }

  private fill(entry: Entry, sections: EncodedSections, zones: ZoneIndex[], bytes: number) {
    entry.sections = sections;
    entry.zoneNames = zones.map((z) => z.name);
    entry.zoneRevisions = zones.map((z) => z.revision);
    entry.generation = this.zoneSet.generation;
    entry.checkedAt = this.zoneSet.version;
    entry.bytes = bytes;
  }

  /** A second use: into protected, whose least recently used entries overflow back into probation. */
  private promote(entry: Entry) {
    this.probation.unlink(entry);
    this.protectedSegment.pushFront(entry);
    this.demoteOverflow();
    this.shrink();
  }

  private demoteOverflow() {
    for (let old = this.protectedSegment.oldest(); this.protectedSegment.bytes > this.protectedLimit && old; old = this.protectedSegment.oldest()) {
      this.protectedSegment.unlink(old);
      this.probation.pushFront(old);
    }
  }

  /** Evicts from probation's old end until everything fits in the budget. */
  private shrink() {
    for (let old = this.probation.oldest(); this.probation.bytes + this.protectedSegment.bytes > this.maxBytes && old; old = this.probation.oldest()) {
      this.probation.unlink(old);
      this.entries.delete(old.key);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** Estimated heap bytes held (what maxBytes bounds). */
  get bytes(): number {
    return this.probation.bytes + this.protectedSegment.bytes;
  }
}
