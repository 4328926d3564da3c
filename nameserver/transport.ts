// UDP and TCP listeners, on every listening address (each answering from its view,
// nameserver/views.ts), all on one port. TCP follows RFC 7766: two-byte length prefix, several
// queries on one connection (answered in order), an idle timeout, and a cap on connections.
import dgram from "node:dgram";
import net from "node:net";
import { answerQuery, answerUdpQueryInto, type Responder } from "./answer-query.ts";
import { batchedUdpUnavailable, loadBatchedUdp, openBatchedUdp, type NativeAddon } from "./udp-batch.ts";

export type UdpIo = "batch" | "dgram";

/** One listening address and the responder (view) that answers there. */
export interface Endpoint {
  address: string;
  responder: Responder;
}

export interface TransportOptions {
  /** Every endpoint listens on this port; 0: the first picks a free one and the others follow. */
  port: number;
  /** "batch" (native recvmmsg/sendmmsg, the default when built) or "dgram" (node:dgram). */
  udpIo?: UdpIo;
  tcpIdleMs?: number;
  /** A cap on TCP connections across all endpoints. */
  maxTcpConnections?: number;
  log?: (msg: string) => void;
}

export interface Listening {
  /** The UDP implementation in use ("batch" falls back to "dgram" when the addon is missing). */
  udpIo: UdpIo;
  udpPort: number;
  tcpPort: number;
  close(): Promise<void>;
}

/** A bug must cost one answer, never the server: the transports catch, report here, answer nothing. */
function reportAnswerError(log: (m: string) => void, e: unknown) {
  log(`error answering a query: ${(e as Error).stack ?? e}`);
}

function answerOrNothing(msg: Buffer, tcp: boolean, responder: Responder, log: (m: string) => void): Buffer | null {
  try {
    return answerQuery(msg, tcp, responder);
  } catch (e) {
    reportAnswerError(log, e);
    return null;
  }
}

/**
 * Listens on UDP and TCP at every endpoint's address, all on one port. Each socket is bound to
 * its endpoint's responder when it opens, so choosing the view costs nothing per query.
 */
export async function listen(endpoints: Endpoint[], opts: TransportOptions): Promise<Listening> {
  const log = opts.log ?? (() => {});
  let udpIo: UdpIo = opts.udpIo ?? "batch";
  const native = udpIo === "batch" ? loadBatchedUdp() : null;
  if (udpIo === "batch" && !native) {
    log(`batched UDP unavailable (${batchedUdpUnavailable}); using node:dgram (run npm run build:native)`);
    udpIo = "dgram";
  }
  const tcp = { idleMs: opts.tcpIdleMs ?? 10_000, maxConnections: opts.maxTcpConnections ?? 256, connections: new Set<net.Socket>() };
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const s of tcp.connections) s.destroy();
    await Promise.all(closers.map((c) => c()));
  };
  let port = opts.port;
  try {
    for (const { address, responder } of endpoints) {
      const udpPort = native
        ? listenBatchedUdp(native, responder, address, port, log, closers)
        : await listenDgram(responder, address, port, log, closers);
      port = udpPort; // with port 0 the first socket picks it, and every other one takes the same
      await listenTcp(responder, address, port, tcp, log, closers);
    }
  } catch (e) {
    await close();
    throw e;
  }
  return { udpIo, udpPort: port, tcpPort: port, close };
}

function listenTcp(
  responder: Responder,
  address: string,
  port: number,
  limits: { idleMs: number; maxConnections: number; connections: Set<net.Socket> },
  log: (m: string) => void,
  closers: (() => Promise<void>)[],
): Promise<void> {
  const sockets = limits.connections;
  const server = net.createServer((socket) => {
    if (sockets.size >= limits.maxConnections) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(limits.idleMs, () => socket.destroy());
    let pending = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 2) {
        const length = pending.readUInt16BE(0);
        if (pending.length < 2 + length) break;
        const msg = pending.subarray(2, 2 + length);
        pending = pending.subarray(2 + length);
        const reply = answerOrNothing(msg, true, responder, log);
        if (!reply) {
          socket.destroy(); // a packet we drop over UDP ends the TCP conversation
          return;
        }
        const prefix = Buffer.allocUnsafe(2);
        prefix.writeUInt16BE(reply.length);
        socket.write(Buffer.concat([prefix, reply]));
      }
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => sockets.delete(socket));
  });
  server.maxConnections = limits.maxConnections;
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port, host: address }, () => {
      server.off("error", reject);
      closers.push(() => new Promise<void>((r) => server.close(() => r())));
      resolve();
    });
  });
}

function listenBatchedUdp(
  native: NativeAddon,
  responder: Responder,
  address: string,
  port: number,
  log: (m: string) => void,
  closers: (() => Promise<void>)[],
): number {
  // Inline try/catch, no closure per datagram: this runs for every query.
  const socket = openBatchedUdp(native, address, port, (msg, out, at, room) => {
    try {
      return answerUdpQueryInto(msg, responder, out, at, room);
    } catch (e) {
      reportAnswerError(log, e);
      return 0;
    }
  });
  closers.push(async () => socket.close());
  return socket.port;
}

async function listenDgram(
  responder: Responder,
  address: string,
  port: number,
  log: (m: string) => void,
  closers: (() => Promise<void>)[],
): Promise<number> {
  const udp = dgram.createSocket({ type: net.isIPv6(address) ? "udp6" : "udp4", recvBufferSize: 4 * 1024 * 1024, sendBufferSize: 4 * 1024 * 1024 });
  udp.on("message", (msg, rinfo) => {
    const reply = answerOrNothing(msg, false, responder, log);
    if (reply) udp.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    udp.once("error", reject);
    udp.bind(port, address, () => {
      udp.off("error", reject);
      resolve();
    });
  });
  udp.on("error", (e) => log(`udp error on ${address}: ${e.message}`));
  closers.push(() => new Promise<void>((r) => udp.close(() => r())));
  return udp.address().port;
}
