// Zone-file presentation (RFC 1035 §5) of a zone: what `record ls` prints, and what the
// benchmark hands to NSD. SOA first, then records sorted by name and type.
import { fqdn } from "../dns/names.ts";

export interface SoaFields {
  name: string;
  serial: number;
  soaTtl: number;
  primaryNs: string;
  hostmaster: string;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

export interface ZoneFileRecord {
  name: string;
  type: string;
  ttl: number;
  content: string;
}

export function soaContent(z: SoaFields): string {
  return `${fqdn(z.primaryNs)} ${fqdn(z.hostmaster)} ${z.serial} ${z.refresh} ${z.retry} ${z.expire} ${z.minimum}`;
}

/** Canonical DNS ordering is by label from the right; for listing, this is what people expect. */
export function compareRecords(a: ZoneFileRecord, b: ZoneFileRecord): number {
  const ka = a.name.split(".").reverse().join(".");
  const kb = b.name.split(".").reverse().join(".");
  return ka < kb ? -1 : ka > kb ? 1 : a.type < b.type ? -1 : a.type > b.type ? 1 : a.content < b.content ? -1 : 1;
}

export function formatZoneFile(zone: SoaFields, records: ZoneFileRecord[]): string {
  const line = (name: string, ttl: number, type: string, content: string) => `${fqdn(name)}\t${ttl}\tIN\t${type}\t${content}`;
  return [
    line(zone.name, zone.soaTtl, "SOA", soaContent(zone)),
    ...[...records].sort(compareRecords).map((r) => line(r.name, r.ttl, r.type, r.content)),
  ].join("\n") + "\n";
}
