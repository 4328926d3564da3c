// The benchmark's zones: what each one holds, loading them through the real write path, and
// exporting them as zone files for NSD (so both servers serve exactly the same data).
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { db } from "../lib/db/client.ts";
import type { Prisma } from "../lib/generated/prisma/client.ts";
import { createHostedDomain } from "../lib/domains.ts";
import type { RecordInput } from "../lib/records/record-input.ts";
import { applyChangeSet, type Actor } from "../lib/zone/change-set.ts";
import { formatZoneFile } from "../lib/zone/zone-file.ts";
import { forEachConcurrently } from "./stats.ts";

export const ACTOR: Actor = { label: "bench", source: "system" };

export const zoneName = (i: number) => `zone${i}.bench`;

/**
 * The 18 records added to each zone; with the 2 apex NS records createHostedDomain adds, 20.
 * A mix a small business zone would have, plus a delegated child `sub` with in-bailiwick glue
 * (the NS targets are addresses, not CNAMEs, as the zone rules require).
 */
export function zoneRecords(zone: string): RecordInput[] {
  return [
    { name: "@", type: "A", ttl: 300, content: "192.0.2.1" },
    { name: "@", type: "AAAA", ttl: 300, content: "2001:db8::1" },
    { name: "@", type: "MX", ttl: 300, content: `10 mail.${zone}.` },
    { name: "@", type: "MX", ttl: 300, content: `20 mail2.${zone}.` },
    { name: "@", type: "TXT", ttl: 300, content: "v=spf1 -all" },
    { name: "_dmarc", type: "TXT", ttl: 300, content: "v=DMARC1; p=none" },
    { name: "www", type: "A", ttl: 300, content: "192.0.2.1" },
    { name: "www", type: "AAAA", ttl: 300, content: "2001:db8::1" },
    { name: "alias", type: "CNAME", ttl: 300, content: `www.${zone}.` },
    { name: "ftp", type: "CNAME", ttl: 300, content: `www.${zone}.` },
    { name: "mail", type: "A", ttl: 300, content: "192.0.2.25" },
    { name: "mail2", type: "A", ttl: 300, content: "192.0.2.26" },
    { name: "api", type: "A", ttl: 60, content: "192.0.2.10" },
    { name: "dyn", type: "TXT", ttl: 60, content: "edit 0" },
    { name: "sub", type: "NS", ttl: 3600, content: `ns1.sub.${zone}.` },
    { name: "sub", type: "NS", ttl: 3600, content: `ns2.sub.${zone}.` },
    { name: "ns1.sub", type: "A", ttl: 3600, content: "192.0.2.53" },
    { name: "ns2.sub", type: "A", ttl: 3600, content: "192.0.2.54" },
  ];
}

export interface LoadedZone {
  id: string;
  name: string;
}

/** Creates a tenant and `count` zones through createHostedDomain + applyChangeSet. */
export async function loadZones(count: number, concurrency: number): Promise<LoadedZone[]> {
  const tenant = await db().tenant.create({ data: { slug: "bench", name: "Benchmark" } });
  const zones: LoadedZone[] = new Array(count);
  const indices = Array.from({ length: count }, (_, i) => i);
  await forEachConcurrently(indices, concurrency, async (i) => {
    const name = zoneName(i);
    const { zoneId } = await createHostedDomain({ tenantId: tenant.id, name }, ACTOR);
    await applyChangeSet(zoneId, { add: zoneRecords(name) }, ACTOR);
    zones[i] = { id: zoneId, name };
  });
  return zones;
}

/** Writes one zone file per zone (from the database, as served) into `dir`; returns the file names. */
export async function exportZoneFiles(dir: string, where: Prisma.ZoneWhereInput = {}): Promise<{ zone: string; file: string }[]> {
  await mkdir(dir, { recursive: true });
  const list = await db().zone.findMany({ where, select: { id: true }, orderBy: { name: "asc" } });
  const written: { zone: string; file: string }[] = [];
  for (const { id } of list) {
    // One zone at a time: a million-record zone is enough to hold at once.
    const zone = await db().zone.findUniqueOrThrow({
      where: { id },
      include: { records: { select: { name: true, type: true, ttl: true, content: true } } },
    });
    const file = `${zone.name}.zone`;
    await writeFile(path.join(dir, file), formatZoneFile({ ...zone, serial: Number(zone.serial) }, zone.records));
    written.push({ zone: zone.name, file });
  }
  return written;
}
