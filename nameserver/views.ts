// Which zones each listening address answers from.
//
// A registry's TLD servers and a DNS host's servers are different servers in the real world,
// and resolvers depend on the difference. The TLD's servers are authoritative for the TLD zone
// only: for a name at or below a delegation they return the referral, the NS at the cut and
// the glue, none of it authoritative (RFC 1034 §4.2.1, §4.3.2 step 3b), even when the child
// zone happens to live on the same machine. A hosting server answers the child from the child
// zone. One process plays both roles, so each listening address answers from a *view*:
//
//   registry  an address only in REGISTRY_DNS_ADDRESS: the registry's zones (those with a
//             RegistryTld row) and nothing else. A child zone is not in the view, so the
//             closest enclosing zone of its names is the TLD, where lookup finds the cut: a
//             referral for every qtype at or below the child's apex, its NS and SOA included
//             (only DS is the parent's own data and answered there, RFC 4035 §3.1.4.1).
//   hosting   an address only in DNS_ADDRESS: every served zone except the registry's; a
//             question for the TLD is REFUSED like any other name we do not serve.
//   all       an address in both lists (the one-address default): every served zone, the
//             closest enclosing zone answering, so a child we host is answered from its zone.
//
// Each view has its own ZoneSet (and its own AnswerCache, nameserver/main.ts); the socket of
// an address is bound to its view once, so nothing is decided per query. A zone's index is
// built once and the same object sits in every ZoneSet that accepts it. The answer cache
// stays correct with shared objects: an entry is checked against the ZoneSet of the view it
// was built in (is each zone it used still the one that view holds under that name?), and a
// zone entering or leaving a view bumps that view's generation.
import type { ListenConfig } from "../lib/config.ts";
import type { ZoneIndex } from "./zone-index.ts";
import { ZoneSet } from "./zone-set.ts";

export type ViewName = "all" | "registry" | "hosting";

/** What a view answers, for the startup log. */
export const VIEW_DESCRIPTIONS: Record<ViewName, string> = {
  all: "every zone",
  registry: "the registry's zones only, referring to child zones",
  hosting: "hosted zones only, not the registry's",
};

export interface Binding {
  address: string;
  view: ViewName;
}

const WILDCARDS = new Set(["0.0.0.0", "::"]);

/**
 * Every distinct address of both lists with the view it answers from, in the order given
 * (hosting addresses first). A wildcard address cannot share the port with specific ones (the
 * binds would clash), and with a wildcard there is nothing left to tell the views apart.
 */
export function listenBindings(config: Pick<ListenConfig, "hosting" | "registry">): Binding[] {
  const key = (address: string) => address.trim().toLowerCase();
  const hosting = new Set(config.hosting.map(key));
  const registry = new Set(config.registry.map(key));
  const addresses = [...new Set([...hosting, ...registry])];
  const wildcard = addresses.find((a) => WILDCARDS.has(a));
  if (wildcard !== undefined && addresses.length > 1) {
    throw new Error(
      `DNS_ADDRESS / REGISTRY_DNS_ADDRESS: ${wildcard} cannot be combined with other addresses on one port; ` +
        `list the specific addresses, or use ${wildcard} alone for both (every zone on every address)`,
    );
  }
  return addresses.map((address) => ({
    address,
    view: hosting.has(address) ? (registry.has(address) ? "all" : "hosting") : "registry",
  }));
}

/** Whether a zone belongs in a view: registry zones in "registry", the others in "hosting", all in "all". */
export function viewAccepts(view: ViewName, registryZone: boolean): boolean {
  return view === "all" || (view === "registry") === registryZone;
}

/** The served zones, each once, and the views (ZoneSets) each of them sits in. */
export class ServedZones {
  private readonly loaded = new Map<string, { zone: ZoneIndex; registry: boolean }>();
  private readonly views = new Map<ViewName, ZoneSet>();

  /** Only the views some address answers from: a view nobody asks need not be kept. */
  constructor(views: Iterable<ViewName>) {
    for (const view of views) if (!this.views.has(view)) this.views.set(view, new ZoneSet());
  }

  view(name: ViewName): ZoneSet {
    const set = this.views.get(name);
    if (!set) throw new Error(`no ${name} view here`);
    return set;
  }

  get viewNames(): ViewName[] {
    return [...this.views.keys()];
  }

  /** Serves `zone` in every view that accepts it, and no longer in those that do not (any more). */
  put(id: string, zone: ZoneIndex, registry: boolean) {
    this.loaded.set(id, { zone, registry });
    for (const [view, set] of this.views) {
      if (viewAccepts(view, registry)) set.put(id, zone);
      else set.remove(id);
    }
  }

  /** The zone `id` changed in place (a delta): every view holding it learns of it. */
  changed(id: string) {
    for (const set of this.views.values()) set.touch(id);
  }

  remove(id: string) {
    if (!this.loaded.delete(id)) return;
    for (const set of this.views.values()) set.remove(id);
  }

  byId(id: string): ZoneIndex | undefined {
    return this.loaded.get(id)?.zone;
  }

  /** Whether the zone was loaded as a registry zone (undefined: not loaded). */
  isRegistry(id: string): boolean | undefined {
    return this.loaded.get(id)?.registry;
  }

  ids(): string[] {
    return [...this.loaded.keys()];
  }

  get size(): number {
    return this.loaded.size;
  }
}
