// Before timing anything: do both servers give the same answers? A benchmark of a server that
// answers wrongly (or differently from the reference) would measure the wrong thing.
import type { Packet } from "dns-packet";
import { UdpClient, type Reply } from "./udp-client.ts";

const rrKey = (rr: { name: string; type: string; data?: unknown }) => `${rr.name.toLowerCase()} ${rr.type} ${JSON.stringify(rr.data)}`;
const sortedKeys = (rrs: Packet["answers"]) => (rrs ?? []).map((rr) => rrKey(rr as { name: string; type: string; data?: unknown })).sort();
const ownerTypes = (rrs: Packet["answers"]) => (rrs ?? []).filter((rr) => rr.type !== "OPT").map((rr) => `${rr.name.toLowerCase()} ${rr.type}`).sort();

function summary(reply: Reply | null): Record<string, unknown> {
  if (!reply) return { reply: "none" };
  return {
    rcode: reply.rcode,
    aa: (reply.flags & 0x400) !== 0,
    answer: sortedKeys(reply.answers),
    authority: ownerTypes(reply.authorities),
    additional: ownerTypes(reply.additionals),
  };
}

export interface Difference {
  /** The kind of query and the field, e.g. "www.zoneN.bench A: authority". */
  kind: string;
  count: number;
  example: string;
}

/** Queries each "name type" line on both servers; returns the differences, grouped by kind. */
export async function crossCheck(lines: string[], ours: number, reference: number): Promise<Difference[]> {
  const a = new UdpClient(ours);
  const b = new UdpClient(reference);
  const differences = new Map<string, Difference>();
  try {
    for (const line of lines) {
      const [name, type] = line.split(" ");
      const [x, y] = await Promise.all([a.query(name, type, 2000), b.query(name, type, 2000)]);
      const sx = summary(x);
      const sy = summary(y);
      for (const field of Object.keys({ ...sx, ...sy })) {
        if (JSON.stringify(sx[field]) !== JSON.stringify(sy[field])) {
          const kind = `${line.replace(/zone\d+/, "zoneN").replace(/^nx\d+/, "nxN")}: ${field}`;
          const seen = differences.get(kind);
          if (seen) seen.count++;
          else differences.set(kind, { kind, count: 1, example: `${line}: ours=${JSON.stringify(sx[field])} nsd=${JSON.stringify(sy[field])}` });
        }
      }
    }
  } finally {
    a.close();
    b.close();
  }
  return [...differences.values()];
}
