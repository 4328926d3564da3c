// Edit -> served: how long after a change set commits does our nameserver answer with it?
//
// For each edit: applyChangeSet (one transaction; NOTIFY goes out at COMMIT), then from the
// moment it resolves, query the zone's SOA over UDP every ~1 ms (each query with a short
// timeout, several in flight) until an answer carries the new serial. The time to that answer
// is the edit->served latency. Then one query checks the edited record itself is served.
import { performance } from "node:perf_hooks";
import { db } from "../lib/db/client.ts";
import { applyChangeSet } from "../lib/zone/change-set.ts";
import { serialGreaterThan } from "../lib/zone/serial.ts";
import { percentile } from "./stats.ts";
import { soaSerialOf, UdpClient } from "./udp-client.ts";
import { ACTOR, type LoadedZone } from "./zones.ts";

export interface EditLatency {
  servedMs: number[];
  commitMs: number[];
  timedOut: number;
  wrongRecord: number;
}

const POLL_INTERVAL_MS = 1;
const POLL_QUERY_TIMEOUT_MS = 50;
const GIVE_UP_MS = 5_000;

/** The editable records (dyn TXT and api A of every zone), by "<zone id>|<type>". */
async function editableRecords(): Promise<Map<string, { id: string; version: number }>> {
  const rows = await db().record.findMany({
    where: { OR: [{ type: "TXT", name: { startsWith: "dyn." } }, { type: "A", name: { startsWith: "api." } }] },
    select: { id: true, zoneId: true, type: true, version: true },
  });
  return new Map(rows.map((r) => [`${r.zoneId}|${r.type}`, { id: r.id, version: r.version }]));
}

/** Ms from `t0` until `zone` SOA answers with `serial` (or newer); null after GIVE_UP_MS. */
function timeUntilServed(client: UdpClient, zone: string, serial: number, t0: number): Promise<number | null> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (ms: number | null) => {
      if (done) return;
      done = true;
      clearInterval(poller);
      clearTimeout(giveUp);
      resolve(ms);
    };
    const ask = () => {
      void client.query(zone, "SOA", POLL_QUERY_TIMEOUT_MS).then((reply) => {
        const served = reply ? soaSerialOf(reply) : undefined;
        if (served !== undefined && (served === serial || serialGreaterThan(served, serial))) finish(performance.now() - t0);
      });
    };
    const poller = setInterval(ask, POLL_INTERVAL_MS);
    const giveUp = setTimeout(() => finish(null), GIVE_UP_MS);
    ask();
  });
}

export async function measureEditLatency(opts: { zones: LoadedZone[]; edits: number; port: number; random: () => number }): Promise<EditLatency> {
  const records = await editableRecords();
  const client = new UdpClient(opts.port);
  const result: EditLatency = { servedMs: [], commitMs: [], timedOut: 0, wrongRecord: 0 };
  try {
    for (let i = 0; i < opts.edits; i++) {
      const zone = opts.zones[Math.floor(opts.random() * opts.zones.length)];
      // Alternate between a TXT and an A record, so both kinds of RRset get rebuilt.
      const edit =
        i % 2 === 0
          ? { key: `${zone.id}|TXT`, owner: `dyn.${zone.name}`, record: { name: "dyn", type: "TXT", ttl: 60, content: `edit ${i + 1}` } }
          : { key: `${zone.id}|A`, owner: `api.${zone.name}`, record: { name: "api", type: "A", ttl: 60, content: `198.51.100.${(i % 250) + 1}` } };
      const current = records.get(edit.key);
      if (!current) throw new Error(`no editable ${edit.key} record`);

      const started = performance.now();
      const change = await applyChangeSet(zone.id, { update: [{ id: current.id, version: current.version, record: edit.record }] }, ACTOR);
      const committed = performance.now();
      result.commitMs.push(committed - started);
      records.set(edit.key, { id: current.id, version: change.added[0].version });

      const ms = await timeUntilServed(client, zone.name, change.serial, committed);
      if (ms === null) {
        result.timedOut++;
        continue;
      }
      result.servedMs.push(ms);
      // Same serial must mean same data: the edited record itself is in the answer.
      const reply = await client.query(edit.owner, edit.record.type, 1000);
      const data = (reply?.answers ?? []).map((a) => {
        const rdata = (a as { data?: unknown }).data;
        return Array.isArray(rdata) ? Buffer.concat(rdata as Buffer[]).toString() : String(rdata); // TXT: strings as Buffers
      });
      if (!data.includes(edit.record.content)) result.wrongRecord++;
    }
  } finally {
    client.close();
  }
  return result;
}

export const summarize = (values: number[]) => ({
  p50: percentile(values, 50),
  p99: percentile(values, 99),
  max: values.length ? Math.max(...values) : NaN,
});
