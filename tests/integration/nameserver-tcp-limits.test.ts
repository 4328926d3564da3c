// DNS over TCP under hostile clients (RFC 7766 §6.2.3, §10), on the real nameserver:
//   - clients that pipeline queries for a large answer and never read the replies: the server
//     stops reading them instead of queueing the replies, so its memory stays bounded;
//   - a client holding many connections that drip a byte at a time: refused past its share,
//     and closed when a message does not arrive whole in time;
// and meanwhile other clients are answered over UDP and TCP.
import { readFileSync } from "node:fs";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildQuery, decodeReply, query, type Reply } from "../helpers/dns-client.ts";
import { createZone } from "../helpers/factories.ts";
import { eventually, scrapeMetrics as metrics, startNameserver, type NameserverProcess } from "../helpers/nameserver-process.ts";

// Each test starts real nameserver processes and floods them: on a busy 2-core machine that takes a while.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

let zone: Awaited<ReturnType<typeof createZone>>;

beforeAll(async () => {
  // 120 TXT records of ~235 bytes: a 28 KB RRset, whole over TCP.
  zone = await createZone([
    ...Array.from({ length: 120 }, (_, i) => ({ name: "big", type: "TXT", ttl: 300, content: `${String(i).padStart(3, "0")}${"b".repeat(220)}` })),
    { name: "www", type: "A", ttl: 300, content: "192.0.2.1" },
  ]);
});

const framed = (message: Buffer) => {
  const out = Buffer.alloc(2 + message.length);
  out.writeUInt16BE(message.length, 0);
  message.copy(out, 2);
  return out;
};

/** VmRSS of a process, in bytes (/proc/<pid>/status). */
function rss(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb) * 1024;
}

function connectFrom(port: number, localAddress: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: "127.0.0.1", localAddress }, () => resolve(socket));
    socket.once("error", reject);
  });
}

/** One query over TCP from `localAddress`; rejects when the connection is closed before the reply. */
async function tcpQueryFrom(port: number, localAddress: string, name: string, type: string, timeoutMs = 3000): Promise<Reply> {
  const socket = await connectFrom(port, localAddress);
  return new Promise<Reply>((resolve, reject) => {
    let pending = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("no reply over TCP"));
    }, timeoutMs);
    socket.on("data", (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      if (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(decodeReply(pending.subarray(2, 2 + pending.readUInt16BE(0))));
      }
    });
    socket.on("close", () => {
      clearTimeout(timer);
      reject(new Error("closed without a reply"));
    });
    socket.on("error", () => {});
    socket.write(framed(buildQuery(name, type)));
  });
}


describe("TCP clients that do not read their replies", () => {
  let ns: NameserverProcess;
  beforeAll(async () => {
    ns = await startNameserver({ env: { DNS_TCP_IDLE_MS: "3000" } });
  });
  afterAll(async () => ns?.stop());

  it("answer pipelined queries in order, all of them to a client that reads slowly", async () => {
    const socket = await connectFrom(ns.port, "127.0.0.1");
    const messages = Array.from({ length: 300 }, () => buildQuery(`big.${zone.name}`, "TXT", { edns: false }));
    const ids: number[] = [];
    let pending = Buffer.alloc(0);
    const done = new Promise<void>((resolve) => {
      socket.on("data", (chunk) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
          ids.push(pending.readUInt16BE(2));
          pending = pending.subarray(2 + pending.readUInt16BE(0));
        }
        if (ids.length === messages.length) resolve();
      });
    });
    socket.write(Buffer.concat(messages.map(framed)));
    // Do not read for a second: the server must stop and then carry on where it stopped.
    socket.pause();
    await new Promise((r) => setTimeout(r, 1000));
    socket.resume();
    await done;
    socket.destroy();
    expect(ids).toEqual(messages.map((m) => m.readUInt16BE(0)));
  });

  it("keep the server's memory bounded (8 connections x 3,000 queries for a 28 KB answer) while others are served", async () => {
    const pid = ns.process.pid!;
    // Warm: the answer is cached, the code paths are compiled.
    expect((await query(ns.port, `big.${zone.name}`, "TXT", { tcp: true })).answers).toHaveLength(120);
    const before = rss(pid);
    const attack = Buffer.concat(Array.from({ length: 3000 }, () => framed(buildQuery(`big.${zone.name}`, "TXT", { edns: false }))));
    const sockets = await Promise.all(Array.from({ length: 8 }, () => connectFrom(ns.port, "127.0.0.1")));
    for (const s of sockets) {
      s.pause(); // never read a reply
      s.on("error", () => {});
      s.write(attack);
    }
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rss(pid))), 50);
    try {
      // Others are answered meanwhile, over UDP and TCP.
      for (let i = 0; i < 5; i++) {
        await new Promise((r) => setTimeout(r, 300));
        expect((await query(ns.port, `www.${zone.name}`, "A")).answers[0].data).toBe("192.0.2.1");
        expect((await query(ns.port, `www.${zone.name}`, "A", { tcp: true })).answers[0].data).toBe("192.0.2.1");
      }
    } finally {
      clearInterval(sampler);
      for (const s of sockets) s.destroy();
    }
    const grew = peak - before;
    console.log(`[tcp] ${attack.length * 8} bytes of pipelined queries on 8 unread connections: RSS ${(before / 2 ** 20).toFixed(0)} -> peak ${(peak / 2 ** 20).toFixed(0)} MiB (+${(grew / 2 ** 20).toFixed(1)} MiB)`);
    expect(grew).toBeLessThan(48 * 2 ** 20); // unbounded, this was 520-630 MiB
    const m = await metrics(ns);
    expect(m.nameserver_tcp_reads_paused_total).toBeGreaterThanOrEqual(8);
  });
});

describe("a client holding many slow TCP connections", () => {
  let ns: NameserverProcess;
  beforeAll(async () => {
    ns = await startNameserver({
      env: { DNS_TCP_MAX_CONNECTIONS: "24", DNS_TCP_MAX_CONNECTIONS_PER_CLIENT: "16", DNS_TCP_MESSAGE_MS: "1000", DNS_TCP_IDLE_MS: "10000" },
    });
  });
  afterAll(async () => ns?.stop());

  it("gets its share of connections, loses those that drip, and never shuts out other clients", async () => {
    // 260 connections from one address, each sending one byte of a length prefix and then one
    // more byte a second: a whole message never arrives.
    const opened: net.Socket[] = [];
    let closedByServer = 0;
    const results = await Promise.allSettled(Array.from({ length: 260 }, () => connectFrom(ns.port, "127.0.0.1")));
    for (const r of results) {
      if (r.status !== "fulfilled") continue;
      const s = r.value;
      opened.push(s);
      s.on("error", () => {});
      s.on("close", () => closedByServer++);
      s.write(Buffer.from([0]));
    }
    const drip = setInterval(() => {
      for (const s of opened) if (!s.destroyed) s.write(Buffer.from([0x40]));
    }, 400);
    try {
      // Beyond its 16, the server closes them on arrival.
      await eventually(async () => expect(closedByServer).toBeGreaterThanOrEqual(244), 10_000, 50);
      // Another address (127.0.0.2: TCP is counted per address) is served at once, over TCP and UDP.
      expect((await tcpQueryFrom(ns.port, "127.0.0.2", `www.${zone.name}`, "A")).answers[0].data).toBe("192.0.2.1");
      expect((await query(ns.port, `www.${zone.name}`, "A")).answers[0].data).toBe("192.0.2.1");
      // Its 16 dripping connections are closed once a message is overdue (1 s here).
      await eventually(async () => expect(closedByServer).toBe(opened.length), 10_000, 50);
    } finally {
      clearInterval(drip);
      for (const s of opened) s.destroy();
    }
    const m = await metrics(ns);
    expect(m['nameserver_tcp_connections_refused_total{reason="per_client"}']).toBeGreaterThanOrEqual(244);
    expect(m.nameserver_tcp_connections_closed_slow_total).toBeGreaterThanOrEqual(16);
  });

  it("when the total is full, new clients are refused until slow connections are closed", async () => {
    // Two addresses take 16 + 8 = 24 connections, the total; they send nothing whole.
    const hog = async (address: string, n: number) => {
      const sockets = await Promise.all(Array.from({ length: n }, () => connectFrom(ns.port, address)));
      for (const s of sockets) {
        s.on("error", () => {});
        s.write(Buffer.from([0]));
      }
      return sockets;
    };
    const sockets = [...(await hog("127.0.0.3", 16)), ...(await hog("127.0.0.4", 8))];
    try {
      await eventually(async () => expect((await metrics(ns)).nameserver_tcp_connections).toBe(24), 5000, 20);
      const refusedBefore = (await metrics(ns))['nameserver_tcp_connections_refused_total{reason="total"}'] ?? 0;
      await expect(tcpQueryFrom(ns.port, "127.0.0.5", `www.${zone.name}`, "A", 300)).rejects.toThrow();
      expect((await metrics(ns))['nameserver_tcp_connections_refused_total{reason="total"}']).toBe(refusedBefore + 1);
      // Within about DNS_TCP_MESSAGE_MS the hogs are gone and the newcomer is answered.
      const reply = await eventually(() => tcpQueryFrom(ns.port, "127.0.0.5", `www.${zone.name}`, "A", 1000), 5000, 100);
      expect(reply.answers[0].data).toBe("192.0.2.1");
    } finally {
      for (const s of sockets) s.destroy();
    }
  });
});
