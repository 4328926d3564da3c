// Response rate limiting on the real nameserver (defaults: on, NSD's limits): a flood of one
// large answer from one loopback address is cut down to truncated and dropped replies, while
// another client (another /24 of 127/8, which is all loopback) is answered in full, the flooding
// client still gets the answer over TCP, and the counters show on the metrics endpoint.
import dgram from "node:dgram";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildQuery, decodeReply, query, sendUdp } from "../helpers/dns-client.ts";
import { createZone } from "../helpers/factories.ts";
import { scrapeMetrics as metrics, startNameserver, type NameserverProcess } from "../helpers/nameserver-process.ts";

// Each test starts real nameserver processes and floods them: on a busy 2-core machine that takes a while.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

let batched: NameserverProcess;
let dgramNs: NameserverProcess;
let zone: Awaited<ReturnType<typeof createZone>>;

beforeAll(async () => {
  // About 1,200 bytes of TXT: the kind of answer an amplification attack asks for.
  zone = await createZone([
    ...Array.from({ length: 5 }, (_, i) => ({ name: "amp", type: "TXT", ttl: 300, content: `${i}${"a".repeat(210)}` })),
    { name: "www", type: "A", ttl: 300, content: "192.0.2.1" },
  ]);
  [batched, dgramNs] = await Promise.all([startNameserver(), startNameserver({ env: { DNS_UDP_IO: "dgram" } })]);
});
afterAll(async () => {
  await Promise.all([batched?.stop(), dgramNs?.stop()]);
});

interface FloodResult {
  sent: number;
  full: number;
  truncated: number;
  unanswered: number;
  bytesIn: number;
  bytesOut: number;
  seconds: number;
}

/** Sends `count` copies of one query from `source` as fast as possible; counts what comes back. */
async function flood(port: number, source: string, message: Buffer, count: number): Promise<FloodResult> {
  // A receive buffer that holds every reply: what we count must be what the server sent.
  const socket = dgram.createSocket({ type: "udp4", recvBufferSize: 4 * 1024 * 1024 });
  await new Promise<void>((resolve) => socket.bind(0, source, resolve));
  const result = { sent: count, full: 0, truncated: 0, unanswered: 0, bytesIn: 0, bytesOut: 0, seconds: 0 };
  socket.on("message", (reply) => {
    result.bytesOut += reply.length;
    if (reply.readUInt16BE(2) & 0x0200) result.truncated++;
    else result.full++;
  });
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    socket.send(message, port, "127.0.0.1");
    result.bytesIn += message.length;
    if (i % 50 === 49) await new Promise((r) => setImmediate(r)); // let the sends go and the replies be read
  }
  result.seconds = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 1000)); // stragglers
  socket.close();
  result.unanswered = count - result.full - result.truncated;
  return result;
}

/** One query from a client bound to `source`. */
async function askFrom(port: number, source: string, name: string, type: string) {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, source, resolve));
  try {
    return await new Promise<ReturnType<typeof decodeReply> | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), 2000);
      socket.once("message", (m) => {
        clearTimeout(timer);
        resolve(decodeReply(m));
      });
      socket.send(buildQuery(name, type, { edns: { udpPayloadSize: 4096 } }), port, "127.0.0.1");
    });
  } finally {
    socket.close();
  }
}


describe.each([
  ["batched UDP", () => batched],
  ["node:dgram UDP", () => dgramNs],
])("response rate limiting (%s, default settings)", (_label, ns) => {
  it("truncates and drops most of a flood of one answer, answers other clients and TCP", async () => {
    const server = ns();
    const amp = `amp.${zone.name}`;
    const message = buildQuery(amp, "TXT", { edns: { udpPayloadSize: 4096 } });
    const one = await sendUdp(server.port, message, 2000, "127.0.0.1");
    expect(one!.length).toBeGreaterThan(1100); // the amplification on offer: x25 or so

    const result = await flood(server.port, "127.0.0.1", message, 3000);
    console.log(`[rrl ${_label}] 3000 queries of ${message.length} bytes in ${result.seconds.toFixed(2)} s: ${result.full} answered, ` +
      `${result.truncated} truncated, ${result.unanswered} unanswered; ${result.bytesOut} bytes out for ${result.bytesIn} in (x${(result.bytesOut / result.bytesIn).toFixed(2)})`);
    // 200 a second with a one-second burst: a few hundred answers, then every other limited
    // reply slips (TC=1), the rest are dropped.
    // (Bounds in terms of how long the flood took, since this machine may be busy.)
    expect(result.full).toBeGreaterThanOrEqual(150);
    expect(result.full).toBeLessThanOrEqual(250 + 200 * (result.seconds + 1));
    const limited = result.sent - result.full;
    expect(limited).toBeGreaterThan(1000);
    expect(result.truncated).toBeGreaterThan(0.4 * limited);
    expect(result.unanswered).toBeGreaterThan(0.4 * limited);
    expect(result.bytesOut / result.bytesIn).toBeLessThan(10); // from x25 for every query

    // The same /24 (127.0.0.2) is the same flow: limited too.
    const neighbours = await Promise.all(Array.from({ length: 10 }, () => askFrom(server.port, "127.0.0.2", amp, "TXT")));
    expect(neighbours.every((r) => r === null || r.tc)).toBe(true);
    // Another /24 is another client: answered in full.
    const other = await askFrom(server.port, "127.0.1.2", amp, "TXT");
    expect(other).toMatchObject({ tc: false, rcode: "NOERROR" });
    expect(other!.answers).toHaveLength(5);
    // The flooding address asking another name is another flow: answered.
    expect((await askFrom(server.port, "127.0.0.1", `www.${zone.name}`, "A"))!.answers[0].data).toBe("192.0.2.1");
    // And TCP, where a slipped client retries, is not rate limited.
    const overTcp = await query(server.port, amp, "TXT", { tcp: true });
    expect(overTcp.tc).toBe(false);
    expect(overTcp.answers).toHaveLength(5);

    const m = await metrics(server);
    expect(m.nameserver_rrl_responses_slipped_total).toBeGreaterThanOrEqual(result.truncated);
    expect(m.nameserver_rrl_responses_dropped_total).toBeGreaterThanOrEqual(result.unanswered);
    expect(m.nameserver_rrl_responses_limited_total).toBe(m.nameserver_rrl_responses_slipped_total + m.nameserver_rrl_responses_dropped_total);
  });
});

describe("IPv6 clients", () => {
  it("are limited per /56 through the batched transport", async () => {
    const ns = await startNameserver({ env: { DNS_ADDRESS: "::1", DNS_RRL_RESPONSES_PER_SECOND: "5", DNS_RRL_SLIP: "1" } });
    try {
      expect(ns.udpIo).toBe("batch");
      const socket = dgram.createSocket({ type: "udp6", recvBufferSize: 1024 * 1024 });
      await new Promise<void>((resolve) => socket.bind(0, "::1", resolve));
      let truncated = 0;
      let full = 0;
      socket.on("message", (m) => (m.readUInt16BE(2) & 0x0200 ? truncated++ : full++));
      const message = buildQuery(`www.${zone.name}`, "A");
      for (let i = 0; i < 50; i++) socket.send(message, ns.port, "::1");
      await new Promise((r) => setTimeout(r, 1000));
      socket.close();
      // 5 a second (plus what a slow send earns meanwhile), and with slip 1 every limited reply truncated.
      expect(full).toBeGreaterThanOrEqual(5);
      expect(full).toBeLessThan(20);
      expect(full + truncated).toBe(50);
    } finally {
      await ns.stop();
    }
  });
});

describe("configuration", () => {
  it("DNS_RRL_RESPONSES_PER_SECOND=0 turns rate limiting off (and its metrics), METRICS_PORT=off the endpoint", async () => {
    const off = await startNameserver({ env: { DNS_RRL_RESPONSES_PER_SECOND: "0" } });
    const noMetrics = await startNameserver({ env: { METRICS_PORT: "off" } });
    try {
      const message = buildQuery(`amp.${zone.name}`, "TXT", { edns: { udpPayloadSize: 4096 } });
      const result = await flood(off.port, "127.0.0.1", message, 1000);
      expect(result.truncated).toBe(0);
      expect(result.full).toBeGreaterThan(900); // all of them, but for loopback buffer overruns
      expect(off.output()).toContain("udp rate limiting: off");
      expect(Object.keys(await metrics(off)).some((k) => k.startsWith("nameserver_rrl_"))).toBe(false);
      expect(noMetrics.metricsPort).toBeUndefined();
      expect(noMetrics.output()).not.toContain("metrics=");
    } finally {
      await Promise.all([off.stop(), noMetrics.stop()]);
    }
  });
});
