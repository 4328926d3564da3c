// UDP and TCP listeners. TCP follows RFC 7766: two-byte length prefix, several queries on one
// connection (answered in order), an idle timeout, and a cap on connections.
import dgram from "node:dgram";
import net from "node:net";
import { answerQuery, answerUdpQueryInto, type Responder } from "./answer-query.ts";
import { batchedUdpUnavailable, loadBatchedUdp, openBatchedUdp } from "./udp-batch.ts";

export type UdpIo = "batch" | "dgram";

export interface TransportOptions {
  address: string;
  port: number;
  /** "batch" (native recvmmsg/sendmmsg, the default when built) or "dgram" (node:dgram). */
  udpIo?: UdpIo;
  tcpIdleMs?: number;
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

export async function listen(responder: Responder, opts: TransportOptions): Promise<Listening> {
  const log = opts.log ?? (() => {});
  const idleMs = opts.tcpIdleMs ?? 10_000;
  const maxConnections = opts.maxTcpConnections ?? 256;
  const udp = await listenUdp(responder, opts, log);
  const udpPort = udp.port;

  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((socket) => {
    if (sockets.size >= maxConnections) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(idleMs, () => socket.destroy());
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
  tcp.maxConnections = maxConnections;
  await new Promise<void>((resolve, reject) => {
    tcp.once("error", reject);
    tcp.listen({ port: opts.port === 0 ? udpPort : opts.port, host: opts.address }, () => resolve());
  });
  const tcpPort = (tcp.address() as net.AddressInfo).port;

  return {
    udpIo: udp.io,
    udpPort,
    tcpPort,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all([udp.close(), new Promise<void>((r) => tcp.close(() => r()))]);
    },
  };
}

interface UdpListener {
  io: UdpIo;
  port: number;
  close(): Promise<void>;
}

async function listenUdp(responder: Responder, opts: TransportOptions, log: (m: string) => void): Promise<UdpListener> {
  if ((opts.udpIo ?? "batch") === "batch") {
    const native = loadBatchedUdp();
    if (native) {
      // Inline try/catch, no closure per datagram: this runs for every query.
      const socket = openBatchedUdp(native, opts.address, opts.port, (msg, out, at, room) => {
        try {
          return answerUdpQueryInto(msg, responder, out, at, room);
        } catch (e) {
          reportAnswerError(log, e);
          return 0;
        }
      });
      return { io: "batch", port: socket.port, close: async () => socket.close() };
    }
    log(`batched UDP unavailable (${batchedUdpUnavailable}); using node:dgram (run npm run build:native)`);
  }
  const udp = dgram.createSocket({ type: net.isIPv6(opts.address) ? "udp6" : "udp4", recvBufferSize: 4 * 1024 * 1024, sendBufferSize: 4 * 1024 * 1024 });
  udp.on("message", (msg, rinfo) => {
    const reply = answerOrNothing(msg, false, responder, log);
    if (reply) udp.send(reply, rinfo.port, rinfo.address);
  });
  udp.on("error", (e) => log(`udp error: ${e.message}`));
  await new Promise<void>((resolve, reject) => {
    udp.once("error", reject);
    udp.bind(opts.port, opts.address, () => {
      udp.off("error", reject);
      resolve();
    });
  });
  return { io: "dgram", port: udp.address().port, close: () => new Promise<void>((r) => udp.close(() => r())) };
}
