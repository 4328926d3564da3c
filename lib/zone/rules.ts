// Zone-wide rules: what must hold for a set of records once a change set is applied. Pure
// functions over the records at the names a change touches (lib/zone/change-set.ts gathers
// them inside the transaction, so the check sees the zone as it really is).
import type { FieldIssue } from "../errors.ts";
import { isInZone } from "../dns/names.ts";
import type { NormalizedRecord } from "../records/record-input.ts";
import { RECORD_TYPE_SPECS } from "../records/types.ts";
import { parseStoredContent } from "../records/record-input.ts";

/** A record as the rules see it, with where it came from in the change set (for error paths). */
export interface ViewRecord extends NormalizedRecord {
  origin?: (string | number)[];
}

export type ZoneView = Map<string, ViewRecord[]>;

// Parsing a record's content costs a tokenize and a zod parse; the write path asks for the
// targets of the same record more than once (to load the names it points at, then in the
// rules), so they are remembered per record object (and re-parsed should its content change).
const targetsCache = new WeakMap<NormalizedRecord, { zone: string; content: string; targets: string[] }>();

/** Tells targetsOf the targets of a record whose fields were just validated (no parse needed). */
export function rememberTargets(record: NormalizedRecord, zone: string, targets: string[]): void {
  targetsCache.set(record, { zone, content: record.content, targets });
}

export function targetsOf(record: NormalizedRecord, zone: string): string[] {
  if (record.type !== "MX" && record.type !== "NS" && record.type !== "SRV" && record.type !== "CNAME") return [];
  const cached = targetsCache.get(record);
  if (cached && cached.zone === zone && cached.content === record.content) return cached.targets;
  const targets = RECORD_TYPE_SPECS[record.type].targets(parseStoredContent(record.type, record.content, zone));
  targetsCache.set(record, { zone, content: record.content, targets });
  return targets;
}

function describe(r: ViewRecord) {
  return `${r.type} ${r.content}`;
}

/**
 * Checks the records at `names` (every name the change set touched) in `view`, which holds the
 * records as they will be after the change, at those names and at the names their targets use.
 */
export function checkZoneRules(zone: string, view: ZoneView, names: Iterable<string>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const at = (name: string) => view.get(name) ?? [];
  const pathOf = (r: ViewRecord | undefined, field: string) => (r?.origin ? [...r.origin, field] : []);
  // Who already points at each name (MX/NS/SRV records not in the change set), built once, in
  // the view's order, for the reverse CNAME check below: scanning the whole view for every new
  // CNAME made a zone import of n records cost n² (25,000 CNAMEs x 100,000 records).
  let pointers: Map<string, { owner: string; record: ViewRecord }[]> | undefined;
  const pointingAt = (name: string) => {
    if (!pointers) {
      pointers = new Map();
      for (const [owner, list] of view) {
        for (const record of list) {
          if ((record.type !== "MX" && record.type !== "NS" && record.type !== "SRV") || record.origin) continue;
          for (const target of new Set(targetsOf(record, zone))) {
            const entry = pointers.get(target);
            if (entry) entry.push({ owner, record });
            else pointers.set(target, [{ owner, record }]);
          }
        }
      }
    }
    return pointers.get(name) ?? [];
  };

  for (const name of new Set(names)) {
    const records = at(name);
    const cnames = records.filter((r) => r.type === "CNAME");
    const blame = cnames.find((r) => r.origin) ?? records.find((r) => r.origin);

    if (cnames.length > 0) {
      if (name === zone) {
        issues.push({ path: pathOf(blame, "type"), message: "a CNAME is not allowed at the zone apex: it would hide the SOA and NS records (RFC 1034 §3.6.2); use an A/AAAA record, or ALIAS-style flattening where offered" });
      } else if (cnames.length > 1) {
        issues.push({ path: pathOf(blame, "type"), message: `${name} can have only one CNAME record` });
      } else {
        const others = records.filter((r) => r.type !== "CNAME");
        if (others.length > 0) {
          issues.push({
            path: pathOf(blame, "type"),
            message: `a CNAME cannot exist beside other records at ${name} (RFC 1034 §3.6.2, RFC 2181 §10.1); it already has ${others.map(describe).join(", ")}`,
          });
        }
      }
    }

    // Records that point at a name must not point at an alias (RFC 2181 §10.3, RFC 2782).
    for (const r of records) {
      if (r.type !== "MX" && r.type !== "NS" && r.type !== "SRV") continue;
      for (const target of targetsOf(r, zone)) {
        if (isInZone(target, zone) && at(target).some((t) => t.type === "CNAME")) {
          issues.push({ path: pathOf(r, "content"), message: `${r.type} target ${target} is a CNAME; an ${r.type} must point at a name with A/AAAA records (RFC 2181 §10.3)` });
        }
      }
    }
    // ...and the reverse: a new CNAME at a name that something already points at.
    if (cnames.length > 0 && name !== zone) {
      for (const { owner, record: r } of pointingAt(name)) {
        issues.push({ path: pathOf(cnames[0], "type"), message: `${name} is the target of ${r.type} at ${owner}; it cannot be a CNAME (RFC 2181 §10.3)` });
      }
    }

    // DS lives on the parent side of a zone cut (RFC 4035 §2.4): beside NS below the apex.
    // The zone's own DS is published by the parent, through the registrar.
    const ds = records.find((r) => r.type === "DS");
    if (ds && (name === zone || !records.some((r) => r.type === "NS"))) {
      issues.push({
        path: pathOf(records.find((r) => r.type === "DS" && r.origin) ?? ds, "type"),
        message:
          name === zone
            ? "a DS record for the zone itself belongs in the parent zone: set it at the registrar (the domain's DNSSEC settings)"
            : `a DS record at ${name} needs NS records there: it describes the key of a delegated child zone (RFC 4035 §2.4)`,
      });
    }

    const seen = new Set<string>();
    for (const r of records) {
      const key = `${r.type} ${r.content}`;
      if (seen.has(key)) issues.push({ path: pathOf(r, "content"), message: `${name} already has the record ${r.type} ${r.content}` });
      seen.add(key);
    }
  }

  if (!at(zone).some((r) => r.type === "NS") && view.has(zone)) {
    issues.push({ path: [], message: `the zone needs at least one NS record at its apex (${zone})` });
  }
  return issues;
}
