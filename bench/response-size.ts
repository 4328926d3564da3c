// The average response size on the bench's query mix: every line of the query file sent once
// over UDP and the length of each reply averaged, for ours and for NSD alike. Answers as small as
// NSD's mean name compression (RFC 1035 §4.1.4) works as well as a reference implementation's,
// and that less of a response is cut for room (TC=1, trimmed additional data).
import dgram from "node:dgram";
import dnsPacket from "dns-packet";

export interface ResponseSizes {
  /** Mean reply length in bytes, over the replies received. */
  average: number;
  /** The reply length for each line (-1: no reply). */
  lengths: Int32Array;
  /** Each reply's record counts in authority and additional (the OPT included). */
  nscounts: Uint16Array;
  arcounts: Uint16Array;
  replies: number;
  /** Queries without a reply within the timeout (left out of the average). */
  lost: number;
  /** Replies with TC=1. */
  truncated: number;
}

/**
 * Sends each "name type" line once (`window` queries in flight on one socket, matched by ID)
 * and averages the reply lengths. `edns`: the advertised UDP payload size, or false for no OPT
 * at all, which is what dnsperf sends without -e (the throughput runs of npm run bench).
 */
export async function averageResponseSize(
  lines: string[], port: number, opts: { edns: number | false; window?: number; timeoutMs?: number; host?: string } = { edns: false },
): Promise<ResponseSizes> {
  const window = opts.window ?? 50;
  const timeoutMs = opts.timeoutMs ?? 1000;
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const pending = new Map<number, (msg: Buffer) => void>();
  socket.on("message", (msg) => {
    if (msg.length < 12) return;
    const done = pending.get(msg.readUInt16BE(0));
    if (done) {
      pending.delete(msg.readUInt16BE(0));
      done(msg);
    }
  });

  let total = 0;
  const result: ResponseSizes = {
    average: 0, lengths: new Int32Array(lines.length).fill(-1), nscounts: new Uint16Array(lines.length), arcounts: new Uint16Array(lines.length),
    replies: 0, lost: 0, truncated: 0,
  };
  let next = 0;
  const one = (line: string, index: number, id: number) =>
    new Promise<void>((resolve) => {
      const [name, type] = line.split(" ");
      const message = dnsPacket.encode({
        type: "query", id, flags: 0, questions: [{ name, type: type as "A", class: "IN" }],
        additionals: opts.edns === false ? [] : [{ type: "OPT", name: ".", udpPayloadSize: opts.edns, flags: 0, options: [] } as never],
      });
      const timer = setTimeout(() => {
        pending.delete(id);
        result.lost++;
        resolve();
      }, timeoutMs);
      pending.set(id, (reply) => {
        clearTimeout(timer);
        total += reply.length;
        result.lengths[index] = reply.length;
        result.nscounts[index] = reply.readUInt16BE(8);
        result.arcounts[index] = reply.readUInt16BE(10);
        result.replies++;
        if (reply.readUInt16BE(2) & 0x0200) result.truncated++;
        resolve();
      });
      socket.send(message, port, opts.host ?? "127.0.0.1");
    });
  // `window` workers, each taking the next line: IDs stay unique among those in flight.
  const worker = async (slot: number) => {
    for (let i = next++; i < lines.length; i = next++) await one(lines[i], i, slot * 1000 + (i % 1000));
  };
  try {
    await Promise.all(Array.from({ length: window }, (_, slot) => worker(slot)));
  } finally {
    socket.close();
  }
  result.average = result.replies ? total / result.replies : NaN;
  return result;
}

/** "www.zone12.bench A" -> "www.zoneN.bench A": the query kinds of the mix (bench/dnsperf.ts). */
const kindOf = (line: string) => line.replace(/zone\d+/, "zoneN").replace(/^nx\d+/, "nxN");

/**
 * The report npm run bench prints: the average response size of ours and NSD's on the query
 * mix as dnsperf sends it (no EDNS) and with EDNS (a 1232-byte buffer, as resolvers send),
 * and the query kinds whose average differs between the two (where the bytes come from).
 */
export async function responseSizeReport(lines: string[], oursPort: number, nsdPort: number): Promise<string[]> {
  const out: string[] = [];
  const b = (n: number) => `${n.toFixed(1)} B`;
  for (const edns of [false, 1232] as const) {
    const ours = await averageResponseSize(lines, oursPort, { edns });
    const nsd = await averageResponseSize(lines, nsdPort, { edns });
    const how = edns === false ? "no EDNS, as dnsperf sends the mix" : `EDNS, ${edns}-byte buffer`;
    out.push(
      `average response size${edns === false ? "" : " with EDNS"}: ours ${b(ours.average)}, NSD ${b(nsd.average)} ` +
        `(ours/NSD ${(ours.average / nsd.average).toFixed(3)}; ${lines.length} queries, ${how}; ` +
        `no reply: ours ${ours.lost}, NSD ${nsd.lost}; TC=1: ours ${ours.truncated}, NSD ${nsd.truncated})`,
    );
    if (edns !== false) continue;
    const kinds = new Map<string, { ours: number; nsd: number; n: number; ns: [number, number]; ar: [number, number] }>();
    lines.forEach((line, i) => {
      if (ours.lengths[i] < 0 || nsd.lengths[i] < 0) return;
      const k = kinds.get(kindOf(line)) ?? { ours: 0, nsd: 0, n: 0, ns: [0, 0], ar: [0, 0] };
      k.ours += ours.lengths[i];
      k.nsd += nsd.lengths[i];
      k.ns[0] += ours.nscounts[i];
      k.ns[1] += nsd.nscounts[i];
      k.ar[0] += ours.arcounts[i];
      k.ar[1] += nsd.arcounts[i];
      k.n++;
      kinds.set(kindOf(line), k);
    });
    const differing = [...kinds].filter(([, k]) => k.ours !== k.nsd);
    out.push(
      differing.length === 0
        ? "  every query kind of the mix: same average size as NSD"
        : `  query kinds that differ (ours vs NSD, of ${kinds.size} kinds; the others are the same size): ` +
            differing
              .map(([kind, k]) => {
                const per = ([x, y]: [number, number]) => `${(x / k.n).toFixed(1)} vs ${(y / k.n).toFixed(1)}`;
                return `${kind} ${b(k.ours / k.n)} vs ${b(k.nsd / k.n)} (authority records ${per(k.ns)}, additional ${per(k.ar)})`;
              })
              .join("; "),
    );
  }
  return out;
}
