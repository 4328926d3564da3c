// The fuzzing harness: sends the mutations of fuzz/mutators.ts at a running nameserver over UDP
// and TCP, and every `checkEvery` packets pauses to check that the server is still alive and
// right (a valid query for a known record gets the right answer within a generous deadline)
// and how much memory it holds. Used by `npm run fuzz` (fuzz/run.ts) and, with a smaller count,
// by tests/integration/fuzz.test.ts.
//
// What counts as a failure:
//   - a crash: the server process exited;
//   - a stall: a liveness check got no right answer within its deadline;
//   - a bad reply: something that is not a DNS response (QR clear, shorter than a header,
//     or, for the sampled replies, not decodable by dns-packet);
//   - an answer error: the server logged "error answering a query" (its transports catch
//     exceptions per packet, so a parser or encoder bug shows up there, not as a crash).
// Packets the server drops (no reply) are not failures: dropping is the right answer to most
// of what we send.
import dgram from "node:dgram";
import { readFileSync } from "node:fs";
import net from "node:net";
import dnsPacket from "dns-packet";
import { nextPacket, Random, type FuzzPacket, type FuzzZone, type MutationKind } from "./mutators.ts";

export interface LivenessProbe {
  /** A name the server answers with exactly one A record... */
  name: string;
  /** ...whose address is this. */
  address: string;
}

export interface FuzzOptions {
  host: string;
  port: number;
  packets: number;
  seed: number;
  zones: FuzzZone[];
  probe: LivenessProbe;
  /** The server's pid, for its RSS (/proc/<pid>/status); without it RSS is not measured. */
  pid?: number;
  /** true once the server process has exited (a crash), when we started it. */
  exited?: () => boolean;
  /** The server's output so far, to count the answer errors it logged. */
  serverOutput?: () => string;
  /** A liveness check every this many packets (default 5000). */
  checkEvery?: number;
  /** UDP packets per second (default 20,000: fast, but below what the server drains; 0: unpaced). */
  rate?: number;
  /** Share of packets sent over TCP (default 0.05). */
  tcpShare?: number;
  udpSockets?: number;
  /** TCP connections open at once (default 3: the server limits connections per client). */
  tcpConcurrency?: number;
  /** Deadline of one liveness check, all retries included (default 5000 ms). */
  checkTimeoutMs?: number;
  /** Called after every liveness check with the figures so far. */
  onProgress?: (report: FuzzReport) => void;
}

export interface FuzzReport {
  seed: number;
  elapsedMs: number;
  sent: { udp: number; tcp: number };
  replies: { udp: number; tcp: number };
  tcpConnections: number;
  byKind: Partial<Record<MutationKind, number>>;
  checks: { passed: number; failed: number };
  crashes: number;
  stalls: number;
  badReplies: number;
  /** The first bad reply, in hex, with what was wrong. */
  firstBadReply?: string;
  answerErrors: number;
  /** The first "error answering a query" the server logged, stack included. */
  firstAnswerError?: string;
  /**
   * VmRSS in bytes: after start-up, at the end, the largest seen at a check, and one sample per
   * check as [packets sent, RSS] (to tell a plateau, e.g. the answer cache filling up to its
   * budget, from a leak that keeps growing).
   */
  rss: { before?: number; after?: number; max?: number; samples: [number, number][] };
}

/** VmRSS of a process, in bytes (undefined when it is gone or not on Linux). */
export function rssOf(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ANSWER_ERROR = "error answering a query";
// One reply in this many is decoded with dns-packet in full (the rest get the cheap header
// check): decoding every reply would make the harness, not the server, the bottleneck.
const DECODE_ONE_IN = 16;

export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const checkEvery = opts.checkEvery ?? 5000;
  const rate = opts.rate ?? 20_000;
  const tcpShare = opts.tcpShare ?? 0.05;
  const checkTimeoutMs = opts.checkTimeoutMs ?? 5000;
  // Packets come from one PRNG, so the same seed sends the same packets in the same order. TCP
  // sessions draw their shapes from a second one, in order, each session then from a PRNG of its
  // own (sessions run concurrently: a shared one would be drawn from in the order of network
  // events), and the liveness probes' IDs from a third (a probe retried after a lost datagram
  // must not shift what follows).
  const rng = new Random(opts.seed);
  const tcpRng = new Random(opts.seed ^ 0x5bd1e995);
  const probeRng = new Random(opts.seed ^ 0x2545f491);
  const started = Date.now();
  const report: FuzzReport = {
    seed: opts.seed, elapsedMs: 0, sent: { udp: 0, tcp: 0 }, replies: { udp: 0, tcp: 0 }, tcpConnections: 0, byKind: {},
    checks: { passed: 0, failed: 0 }, crashes: 0, stalls: 0, badReplies: 0, answerErrors: 0, rss: { samples: [] },
  };
  const measureRss = () => {
    if (opts.pid === undefined) return;
    const rss = rssOf(opts.pid);
    if (rss === undefined) return;
    report.rss.before ??= rss;
    report.rss.after = rss;
    report.rss.max = Math.max(report.rss.max ?? 0, rss);
    report.rss.samples.push([report.sent.udp + report.sent.tcp, rss]);
  };
  let decodeCounter = 0;
  const checkReply = (msg: Buffer) => {
    let problem: string | undefined;
    if (msg.length < 12) problem = "shorter than a header";
    else if ((msg[2] & 0x80) === 0) problem = "QR clear";
    else if (++decodeCounter % DECODE_ONE_IN === 0) {
      try {
        dnsPacket.decode(msg);
      } catch (e) {
        problem = `not decodable (${(e as Error).message})`;
      }
    }
    if (problem) {
      report.badReplies++;
      report.firstBadReply ??= `${problem}: ${msg.toString("hex")}`;
    }
  };

  const sockets = await Promise.all(
    Array.from({ length: opts.udpSockets ?? 4 }, () => new Promise<dgram.Socket>((resolve) => {
      const s = dgram.createSocket("udp4");
      s.on("message", (msg) => {
        report.replies.udp++;
        checkReply(msg);
      });
      // A send error (e.g. ECONNREFUSED after the server died) must not end the harness: the
      // liveness check will tell what happened.
      s.on("error", () => {});
      // Large buffers: replies arrive in bursts while we are busy generating packets.
      s.bind(0, "127.0.0.1", () => {
        try {
          s.setRecvBufferSize(4 << 20);
          s.setSendBufferSize(4 << 20);
        } catch { /* capped by the kernel: fine */ }
        resolve(s);
      });
    })),
  );

  const crashed = () => opts.exited?.() === true;
  let checkNo = 0;
  measureRss();
  try {
    // A first check before any fuzzing: the baseline must be right, or nothing after means much.
    await liveness();
    let nextSocket = 0;
    while (report.sent.udp + report.sent.tcp < opts.packets && !crashed()) {
      const chunk = Math.min(checkEvery, opts.packets - report.sent.udp - report.sent.tcp);
      const udp: FuzzPacket[] = [];
      const tcp: FuzzPacket[] = [];
      for (let i = 0; i < chunk; i++) {
        const viaTcp = rng.chance(tcpShare);
        const p = nextPacket(rng, opts.zones, viaTcp ? 4096 : 1500);
        (viaTcp ? tcp : udp).push(p);
        report.byKind[p.kind] = (report.byKind[p.kind] ?? 0) + 1;
      }
      await Promise.all([sendUdp(udp), sendTcp(tcp)]);
      await liveness();
    }

    async function sendUdp(packets: FuzzPacket[]) {
      // Paced: at most `rate` per second, in bursts of up to 64, yielding between bursts so the
      // replies get read. Sending without pacing only fills socket buffers and measures drops.
      const t0 = performance.now();
      let i = 0;
      while (i < packets.length) {
        // rate 0: unpaced (bursts of 64, yielding between them).
        const due = rate > 0 ? Math.min(packets.length, Math.floor(((performance.now() - t0) / 1000) * rate) + 1) : packets.length;
        if (due <= i) {
          await sleep(1);
          continue;
        }
        const end = Math.min(due, i + 64);
        for (; i < end; i++) {
          const s = sockets[nextSocket++ % sockets.length];
          s.send(packets[i].bytes, opts.port, opts.host);
          report.sent.udp++;
        }
        await new Promise((r) => setImmediate(r));
      }
    }

    async function sendTcp(packets: FuzzPacket[]) {
      // Sessions of 1-12 messages, a few connections at a time, each opened and closed.
      const sessions: { packets: FuzzPacket[]; shape: number; r: Random }[] = [];
      for (let i = 0; i < packets.length; ) {
        const n = 1 + tcpRng.int(12);
        sessions.push({ packets: packets.slice(i, i + n), shape: tcpRng.int(100), r: new Random(tcpRng.u32()) });
        i += n;
      }
      const workers = Array.from({ length: opts.tcpConcurrency ?? 3 }, async () => {
        for (let s = sessions.shift(); s; s = sessions.shift()) {
          if (crashed()) return;
          await tcpSession(s.packets, s.shape, s.r);
        }
      });
      await Promise.all(workers);
    }

    /** One TCP connection carrying `packets`, in the shape `shape` (0-99) picks; `r` draws the details. */
    function tcpSession(packets: FuzzPacket[], shape: number, r: Random): Promise<void> {
      const framed = packets.map((p) => Buffer.concat([lengthPrefix(p.bytes.length), p.bytes]));
      report.sent.tcp += packets.length;
      report.tcpConnections++;
      return new Promise<void>((resolve) => {
        const socket = net.connect({ host: opts.host, port: opts.port });
        socket.setNoDelay(true);
        let pending = Buffer.alloc(0);
        let replies = 0;
        let expectReplies = packets.length;
        let settled = false;
        const done = () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          socket.destroy();
          resolve();
        };
        // Generous: the server is busy with UDP meanwhile. A session that waits this long has
        // sent something the server must wait on (a partial message): we close it ourselves.
        const timer = setTimeout(done, 1000);
        socket.on("error", done);
        socket.on("close", done);
        socket.on("data", (chunk) => {
          pending = Buffer.concat([pending, chunk]);
          while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
            const msg = pending.subarray(2, 2 + pending.readUInt16BE(0));
            pending = pending.subarray(2 + msg.length);
            report.replies.tcp++;
            replies++;
            checkReply(msg);
          }
          if (replies >= expectReplies) done();
        });
        socket.on("connect", () => {
          const all = Buffer.concat(framed);
          if (shape < 55) {
            // Well framed, written in up to three pieces split anywhere (even inside a prefix).
            const a = r.int(all.length + 1), b = a + r.int(all.length - a + 1);
            for (const piece of [all.subarray(0, a), all.subarray(a, b), all.subarray(b)]) if (piece.length) socket.write(piece);
          } else if (shape < 65) {
            // The last length prefix lies (longer than what follows), then we half-close.
            const last = Buffer.from(framed[framed.length - 1]);
            last.writeUInt16BE(Math.min(0xffff, last.length - 2 + 1 + r.int(r.chance(0.3) ? 65535 : 300)), 0);
            expectReplies = framed.length - 1;
            socket.end(Buffer.concat([...framed.slice(0, -1), last]));
          } else if (shape < 70) {
            // A zero length prefix first.
            expectReplies = 1;
            socket.write(Buffer.concat([lengthPrefix(0), all]));
          } else if (shape < 85) {
            // Closed mid-message: everything but the tail of the last message, then reset.
            socket.write(all.subarray(0, all.length - 1 - r.int(framed[framed.length - 1].length)));
            setTimeout(done, r.int(20));
          } else if (shape < 92) {
            // One byte of a length prefix, then gone.
            socket.write(all.subarray(0, 1));
            setTimeout(done, r.int(50));
          } else {
            // Byte by byte (the server must reassemble messages from any split).
            void (async () => {
              for (let i = 0; i < Math.min(all.length, 600) && !settled; i++) {
                socket.write(all.subarray(i, i + 1));
                if (i % 50 === 49) await new Promise((r) => setImmediate(r));
              }
              if (all.length > 600) socket.write(all.subarray(600));
            })();
          }
        });
      });
    }

    async function liveness() {
      checkNo++;
      if (crashed()) {
        report.crashes++;
        return;
      }
      // UDP every time; TCP as well on every tenth check (and the first).
      const ok = (await probeUdp()) && (checkNo % 10 !== 1 || (await probeTcp()));
      if (ok) report.checks.passed++;
      else if (crashed()) report.crashes++;
      else {
        report.checks.failed++;
        report.stalls++;
      }
      measureRss();
      countAnswerErrors();
      report.elapsedMs = Date.now() - started;
      opts.onProgress?.(report);
    }
  } finally {
    for (const s of sockets) s.close();
  }
  countAnswerErrors();
  report.elapsedMs = Date.now() - started;
  return report;

  function countAnswerErrors() {
    const out = opts.serverOutput?.();
    if (!out) return;
    let count = 0;
    for (let i = out.indexOf(ANSWER_ERROR); i >= 0; i = out.indexOf(ANSWER_ERROR, i + 1)) count++;
    report.answerErrors = count;
    if (count > 0) report.firstAnswerError ??= out.slice(out.indexOf(ANSWER_ERROR), out.indexOf(ANSWER_ERROR) + 2000);
  }

  function probeQuery(): { id: number; bytes: Buffer } {
    const id = probeRng.int(65536);
    const bytes = dnsPacket.encode({ type: "query", id, questions: [{ name: opts.probe.name, type: "A", class: "IN" }] });
    return { id, bytes };
  }

  function rightAnswer(msg: Buffer, id: number): boolean {
    try {
      // dns-packet's typings omit the decoded rcode.
      const r = dnsPacket.decode(msg) as ReturnType<typeof dnsPacket.decode> & { rcode?: string };
      const a = (r.answers ?? []).flatMap((x) => (x.type === "A" ? [x.data] : []));
      return r.id === id && r.rcode === "NOERROR" && a.length === 1 && a[0] === opts.probe.address;
    } catch {
      return false;
    }
  }

  /** A valid query for the known record, retried within the deadline: the answer must be right. */
  function probeUdp(): Promise<boolean> {
    const deadline = Date.now() + checkTimeoutMs;
    return new Promise((resolve) => {
      const socket = dgram.createSocket("udp4");
      let id = -1;
      let retry: NodeJS.Timeout | undefined;
      const finish = (ok: boolean) => {
        clearTimeout(retry);
        clearTimeout(giveUp);
        socket.close();
        resolve(ok);
      };
      const giveUp = setTimeout(() => finish(false), checkTimeoutMs);
      socket.on("error", () => {});
      socket.on("message", (msg) => {
        if (rightAnswer(msg, id)) finish(true);
      });
      const send = () => {
        if (Date.now() >= deadline) return;
        const q = probeQuery();
        id = q.id;
        socket.send(q.bytes, opts.port, opts.host);
        // A datagram may be lost in a full buffer: ask again, a few times within the deadline.
        retry = setTimeout(send, Math.max(250, checkTimeoutMs / 5));
      };
      send();
    });
  }

  function probeTcp(): Promise<boolean> {
    return new Promise((resolve) => {
      const q = probeQuery();
      const socket = net.connect({ host: opts.host, port: opts.port });
      let pending = Buffer.alloc(0);
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        socket.destroy();
        resolve(ok);
      };
      const timer = setTimeout(() => finish(false), checkTimeoutMs);
      socket.on("error", () => finish(false));
      socket.on("connect", () => socket.write(Buffer.concat([lengthPrefix(q.bytes.length), q.bytes])));
      socket.on("data", (chunk) => {
        pending = Buffer.concat([pending, chunk]);
        if (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) finish(rightAnswer(pending.subarray(2, 2 + pending.readUInt16BE(0)), q.id));
      });
    });
  }
}

function lengthPrefix(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

/** The RSS sample nearest to `fraction` of the run. */
function rssAt(r: FuzzReport, fraction: number): number | undefined {
  const s = r.rss.samples;
  return s.length ? s[Math.min(s.length - 1, Math.round((s.length - 1) * fraction))][1] : undefined;
}

/** The median RSS of the samples between fractions `from` and `to` of the run. */
function rssMedian(r: FuzzReport, from: number, to: number): number | undefined {
  const s = r.rss.samples;
  const window = s.slice(Math.floor(s.length * from), Math.max(Math.floor(s.length * from) + 1, Math.ceil(s.length * to))).map(([, rss]) => rss);
  if (!window.length) return undefined;
  window.sort((a, b) => a - b);
  return window[Math.floor(window.length / 2)];
}

/** One line per figure, for the CLI and the test's log. */
export function formatReport(r: FuzzReport): string {
  const mb = (b?: number) => (b === undefined ? "?" : `${(b / 1024 / 1024).toFixed(1)} MB`);
  const total = r.sent.udp + r.sent.tcp;
  const kinds = Object.entries(r.byKind).map(([k, n]) => `${k} ${n}`).join(", ");
  return [
    `seed ${r.seed}`,
    `packets sent ${total} (udp ${r.sent.udp}, tcp ${r.sent.tcp} on ${r.tcpConnections} connections) in ${(r.elapsedMs / 1000).toFixed(1)} s (${Math.round(total / Math.max(0.001, r.elapsedMs / 1000))}/s)`,
    `replies received: udp ${r.replies.udp}, tcp ${r.replies.tcp}; bad replies ${r.badReplies}${r.firstBadReply ? ` (first: ${r.firstBadReply})` : ""}`,
    `liveness checks passed ${r.checks.passed}, failed ${r.checks.failed}`,
    `crashes ${r.crashes}, stalls ${r.stalls}, answer errors logged ${r.answerErrors}`,
    `RSS before ${mb(r.rss.before)}, after ${mb(r.rss.after)}, max ${mb(r.rss.max)} (at 10% of the run ${mb(rssAt(r, 0.1))}, 50% ${mb(rssAt(r, 0.5))}, 90% ${mb(rssAt(r, 0.9))})`,
    `by mutation: ${kinds}`,
    ...(r.firstAnswerError ? [`first answer error: ${r.firstAnswerError}`] : []),
  ].join("\n");
}

export interface RssLimits {
  /** Largest RSS seen minus RSS before the first packet (default 64 MB). */
  growth?: number;
  /**
   * RSS over the last tenth of the run minus RSS around its middle (medians of the samples
   * there; default: not checked). Caches fill up early and then hold still, and the garbage
   * collector's peaks come and go; what is still higher at the end is a leak.
   */
  lateGrowth?: number;
}

/** Failures in a report, as sentences (empty: a clean run). */
export function failures(r: FuzzReport, limits: RssLimits = {}): string[] {
  const maxRssGrowth = limits.growth ?? 64 * 1024 * 1024;
  const f: string[] = [];
  if (r.crashes) f.push(`${r.crashes} crash(es)`);
  if (r.stalls) f.push(`${r.stalls} stall(s)`);
  if (r.badReplies) f.push(`${r.badReplies} bad repl(ies)`);
  if (r.answerErrors) f.push(`${r.answerErrors} answer error(s) logged`);
  if (r.rss.before !== undefined && r.rss.max !== undefined && r.rss.max - r.rss.before > maxRssGrowth) {
    f.push(`RSS grew by ${((r.rss.max - r.rss.before) / 1024 / 1024).toFixed(1)} MB`);
  }
  const middle = rssMedian(r, 0.45, 0.55);
  const end = rssMedian(r, 0.9, 1);
  if (limits.lateGrowth !== undefined && middle !== undefined && end !== undefined && end - middle > limits.lateGrowth) {
    f.push(`RSS still grew by ${((end - middle) / 1024 / 1024).toFixed(1)} MB from the middle of the run to its end`);
  }
  return f;
}
