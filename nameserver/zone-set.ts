// All the zones this nameserver serves, by name, and the closest one for a query name.
import { ZoneIndex } from "./zone-index.ts";

export class ZoneSet {
  private readonly byName = new Map<string, ZoneIndex>();
  private readonly idToName = new Map<string, string>();
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
    return name === undefined ? undefined : this.byName.get(name);
  }

  ids(): string[] {
    return [...this.idToName.keys()];
  }

  put(id: string, zone: ZoneIndex) {
    this.version++;
    if (!this.byName.has(zone.name)) this.generation++;
    this.byName.set(zone.name, zone);
    this.idToName.set(id, zone.name);
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
    this.byName.delete(name);
    this.generation++;
  }

  get size(): number {
    return this.byName.size;
  }
}
