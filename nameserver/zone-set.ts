// All the zones this nameserver serves, by name, and the closest one for a query name.
import { ZoneIndex } from "./zone-index.ts";

export class ZoneSet {
  private readonly byName = new Map<string, ZoneIndex>();
  private readonly idToName = new Map<string, string>();
  /** Which zone id holds each name now: a zone recreated under its name has a new id. */
  private readonly nameToId = new Map<string, string>();
  /** Bumped when a zone appears or disappears (not when one is replaced by a newer version). */
  generation = 0;
  /** Bumped on every change at all (a zone replaced or changed in place): while it stands still, nothing cached can be stale. */
  version = 0;

  /** The zone that is authoritative for `qname`: the longest zone name it ends with. */
  find(qname: string): ZoneIndex | undefined {
    for (let name = qname; ; ) {
      const zone = this.byName.get(name);
      if (zone) return zone;
      const dot = name.indexOf(".");
      if (dot === -1) return this.byName.get("");
      name = name.slice(dot + 1);
    }
  }

  get(name: string): ZoneIndex | undefined {
    return this.byName.get(name);
  }

  byId(id: string): ZoneIndex | undefined {
    const name = this.idToName.get(id);
    return name === undefined || this.nameToId.get(name) !== id ? undefined : this.byName.get(name);
  }

  ids(): string[] {
    return [...this.idToName.keys()];
  }

  put(id: string, zone: ZoneIndex) {
    this.version++;
    if (!this.byName.has(zone.name)) this.generation++;
    this.byName.set(zone.name, zone);
    this.idToName.set(id, zone.name);
    this.nameToId.set(zone.name, id);
  }

  /** A zone held here changed in place (a delta applied): cached answers must look again. */
  touch(id: string) {
    if (this.idToName.has(id)) this.version++;
  }

  remove(id: string) {
    const name = this.idToName.get(id);
    if (name === undefined) return;
    this.version++;
    this.idToName.delete(id);
    // A zone removed and recreated under the same name: the old id's removal, arriving after
    // the new zone was put, must not take the new one away.
    if (this.nameToId.get(name) === id) {
      this.byName.delete(name);
      this.nameToId.delete(name);
    }
    this.generation++;
  }

  get size(): number {
    return this.byName.size;
  }
}
