// Encoded answers by question. An entry remembers the zone versions (index objects) it was
// built from and the zone set's generation; when any of them changed, the entry is stale and
// is rebuilt on the next query. So an edit invalidates exactly the answers of its zone, at no
// cost at edit time. Bounded: past `maxEntries` the oldest entries go (Map keeps insertion order).
//
// The check per hit is one integer comparison: an entry also remembers the zone set's version
// when it was last known good, and only when the set changed since (any edit anywhere) are its
// zones compared one by one, after which it is stamped with the new version.
import type { EncodedSections } from "./response.ts";
import type { ZoneIndex } from "./zone-index.ts";
import type { ZoneSet } from "./zone-set.ts";

interface Entry {
  sections: EncodedSections;
  zones: ZoneIndex[];
  generation: number;
  /** ZoneSet.version at which this entry was last known to be current. */
  checkedAt: number;
}

export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  hits = 0;
  misses = 0;

  constructor(private readonly zoneSet: ZoneSet, private readonly maxEntries = 100_000) {}

  get(key: string): EncodedSections | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined && (entry.checkedAt === this.zoneSet.version || this.stillCurrent(entry))) {
      this.hits++;
      return entry.sections;
    }
    this.misses++;
    return undefined;
  }

  private stillCurrent(entry: Entry): boolean {
    if (entry.generation !== this.zoneSet.generation) return false;
    for (const zone of entry.zones) if (this.zoneSet.get(zone.name) !== zone) return false;
    entry.checkedAt = this.zoneSet.version;
    return true;
  }

  set(key: string, sections: EncodedSections, zones: ZoneIndex[]) {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { sections, zones, generation: this.zoneSet.generation, checkedAt: this.zoneSet.version });
  }

  get size(): number {
    return this.entries.size;
  }
}
