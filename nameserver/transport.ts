// UDP and TCP listeners, on every listening address (each answering from its view,
// nameserver/views.ts), all on one port.
//
// UDP answers go through the response rate limiter (rrl.ts) when one is configured: UDP
// sources can be spoofed, so a flood of answers may be aimed at someone else. TCP is not
// rate-limited (a TCP client has proven its address with the handshake) but is bounded, since
// one client can otherwise hold the server's memory or all of its connections (RFC 7766 §10):
//   - pipelined queries (RFC 7766 §6.2.1.1) are answered in order, and only while the client
//     reads the replies: once a reply cannot be written without queueing beyond the socket's
//     high-water mark, the connection is no longer read (socket.pause()) until it drains. A
//     client that does not read can hold at most ~16 KiB + one reply of our memory, and the
//     kernel's TCP flow control pushes back on its sending;
//   - connections per client (IPv4 address, IPv6 /64) as well as in total;
//   - a whole message must arrive within DNS_TCP_MESSAGE_MS of its first byte, and replies must
//     drain within DNS_TCP_IDLE_MS, on top of the idle timeout between messages (RFC 7766
//     §6.2.3): a byte every few seconds no longer holds a connection.
// The counters (TcpCounters, and the limiter's) are plain integers read by metrics.ts.
import dgram from "node:dgram";
import net from "node:net";
import { answerQuery, answerUdpQueryInto, type Responder } from "./answer-query.ts";
import { PEER_WORDS, writePeerWords, type ResponseRateLimiter } from "./rrl.ts";
import { batchedUdpUnavailable, loadBatchedUdp, openBatchedUdp, type NativeAddon } from "./udp-batch.ts";

export type UdpIo = "batch" | "dgram";

/** One listening address and the responder (view) that answers there. */
export interface Endpoint {
  address: string;
  responder: Responder;
}

export interface TcpLimits {
  /** Close a connection after this long without traffic either way. */
  idleMs: number;
  /** A message whose first byte has arrived must be complete within this (slow senders are closed). */
  messageMs: number;
  /** Connections across all endpoints. */
  maxConnections: number;
  /** Connections from one client: one IPv4 address, one IPv6 /64. */
  maxConnectionsPerClient: number;
}

export const TCP_DEFAULTS: TcpLimits = { idleMs: 10_000, messageMs: 3_000, maxConnections: 256, maxConnectionsPerClient: 16 };

export interface TransportOptions {
  /** Every endpoint listens on this port; 0: the first picks a free one and the others follow. */
  port: number;
  /** "batch" (native recvmmsg/sendmmsg, the default when built) or "dgram" (node:dgram). */
  udpIo?: UdpIo;
  tcp?: Partial<TcpLimits>;
  /** Response rate limiting of UDP answers; null or absent: none. */
  rrl?: ResponseRateLimiter | null;
  log?: (msg: string) => void;
}

/** What happened to TCP connections, for metrics. Plain integers, incremented where it happens. */
export interface TcpCounters {
  accepted: number;
  open: number;
  refusedPerClient: number;
  refusedTotal: number;
  closedSlow: number;
  closedIdle: number;
  pausedReads: number;
}

export interface Listening {
  /** The UDP implementation in use ("batch" falls back to "dgram" when the addon is missing). */
  udpIo: UdpIo;
  udpPort: number;
  tcpPort: number;
  tcp: TcpCounters;
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
  const rrl = opts.rrl ?? null;
  let udpIo: UdpIo = opts.udpIo ?? "batch";
  const native = udpIo === "batch" ? loadBatchedUdp() : null;
  if (udpIo === "batch" && !native) {
    log(`batched UDP unavailable (${batchedUdpUnavailable}); using node:dgram (run npm run build:native)`);
    udpIo = "dgram";
  }
  const tcp = new TcpConnections({ ...TCP_DEFAULTS, ...definedOnly(opts.tcp ?? {}) });
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    tcp.closeAll();
    await Promise.all(closers.map((c) => c()));
  };
  let port = opts.port;
  try {
    for (const { address, responder } of endpoints) {
      const udpPort = native
        ? listenBatchedUdp(native, responder, rrl, address, port, log, closers)
        : await listenDgram(responder, rrl, address, port, log, closers);
      port = udpPort; // with port 0 the first socket picks it, and every other one takes the same
      await listenTcp(responder, address, port, tcp, log, closers);
    }
  } catch (e) {
    await close();
    throw e;
  }
  return { udpIo, udpPort: port, tcpPort: port, tcp: tcp.counters, close };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** One TCP connection's reading state. */
interface Connection {
  socket: net.Socket;
  client: string;
  /** Received bytes not answered yet: a partial message, or queries waiting for replies to drain. */
  pending: Buffer;
  /**
   * Chunks received after `pending`, joined to it only once they complete the next message (or
   * its length prefix): a message dripped in one-byte segments is then copied once, not once
   * per segment (which was quadratic: 2 GB of copying for one 64 KB message).
   */
  parts: Buffer[];
  partsLength: number;
  /** When the first byte of the incomplete message at the head of `pending` arrived (0: none). */
  partialSince: number;
  /** When reading stopped because replies were not being read (0: reading). */
  pausedSince: number;
  /** The client half-closed: finish what it sent, then close. */
  ended: boolean;
}

/** The TCP connections of every endpoint: the limits, the slow-connection sweep, the counters. */
class TcpConnections {
  readonly counters: TcpCounters = { accepted: 0, open: 0, refusedPerClient: 0, refusedTotal: 0, closedSlow: 0, closedIdle: 0, pausedReads: 0 };
  private readonly connections = new Set<Connection>();
  private readonly perClient = new Map<string, number>();
  private sweeper: NodeJS.Timeout | null = null;
  private readonly words = new Uint32Array(PEER_WORDS);

  constructor(readonly limits: TcpLimits) {}

  /** The unit connections are counted by: an IPv4 address, or an IPv6 /64 (one site's worth). */
  clientKey(address: string | undefined): string {
    writePeerWords(address ?? "", this.words);
    const w = this.words;
    return w[0] === 4 ? `${w[1]}` : w[0] === 6 ? `${w[1]}:${w[2]}::` : (address ?? "?");
  }

  /** Admits a new socket, or closes it (counted) when its client or the server is full. */
  admit(socket: net.Socket): Connection | null {
    const client = this.clientKey(socket.remoteAddress);
    const mine = this.perClient.get(client) ?? 0;
    if (this.connections.size >= this.limits.maxConnections || mine >= this.limits.maxConnectionsPerClient) {
      if (mine >= this.limits.maxConnectionsPerClient) this.counters.refusedPerClient++;
      else this.counters.refusedTotal++;
      socket.destroy();
      return null;
    }
    this.perClient.set(client, mine + 1);
    const connection: Connection = { socket, client, pending: EMPTY, parts: [], partsLength: 0, partialSince: 0, pausedSince: 0, ended: false };
    this.connections.add(connection);
    this.counters.accepted++;
    this.counters.open = this.connections.size;
    socket.once("close", () => this.forget(connection));
    this.sweeper ??= setInterval(() => this.sweep(), Math.max(20, Math.min(500, this.limits.messageMs / 4))).unref();
    return connection;
  }

  private forget(connection: Connection) {
    if (!this.connections.delete(connection)) return;
    const left = (this.perClient.get(connection.client) ?? 1) - 1;
    if (left > 0) this.perClient.set(connection.client, left);
    else this.perClient.delete(connection.client);
    this.counters.open = this.connections.size;
    if (this.connections.size === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = null;
    }
  }

  /** Closes connections whose message is overdue, or whose replies have not drained in idleMs. */
  private sweep() {
    const now = Date.now();
    for (const c of this.connections) {
      const slowSender = c.partialSince !== 0 && now - c.partialSince > this.limits.messageMs;
      const slowReader = c.pausedSince !== 0 && now - c.pausedSince > this.limits.idleMs;
      if (slowSender || slowReader) {
        this.counters.closedSlow++;
        c.socket.destroy();
        this.forget(c);
      }
    }
  }

  closeAll() {
    for (const c of this.connections) c.socket.destroy();
    this.connections.clear();
    this.perClient.clear();
    this.counters.open = 0;
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }
}

const EMPTY = Buffer.alloc(0);

function listenTcp(
  responder: Responder,
  address: string,
  port: number,
  tcp: TcpConnections,
  log: (m: string) => void,
  closers: (() => Promise<void>)[],
): Promise<void> {
  // allowHalfOpen: a client may send its queries and shut its side; we still owe it the answers.
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    const c = tcp.admit(socket);
    if (!c) return;
    socket.setNoDelay(true);
    socket.setTimeout(tcp.limits.idleMs, () => {
      tcp.counters.closedIdle++;
      socket.destroy();
    });

    /** Moves the received chunks into `pending` when they hold what it needs next (see Connection.parts). */
    const fill = () => {
      if (c.partsLength === 0) return;
      const have = c.pending.length + c.partsLength;
      const need = c.pending.length >= 2 ? 2 + c.pending.readUInt16BE(0) : 2;
      if (c.pending.length >= need || have < need) return; // nothing missing, or still missing
      c.pending = c.pending.length === 0 && c.parts.length === 1 ? c.parts[0] : Buffer.concat([c.pending, ...c.parts], have);
      c.parts = [];
      c.partsLength = 0;
    };

    /** Answers the complete messages received, in order, while the replies drain. */
    const answerPending = () => {
      let answered = false;
      for (fill(); c.pending.length >= 2; fill()) {
        if (socket.writableNeedDrain) {
          // RFC 7766 §6.2.3 / §10: do not let a client that does not read make us queue without
          // bound. Stop reading it; the kernel's window then stops its sending too.
          if (c.pausedSince === 0) {
            c.pausedSince = Date.now();
            tcp.counters.pausedReads++;
            socket.pause();
            socket.once("drain", resume);
          }
          c.partialSince = 0; // what is left waits on us, not on the client
          return;
        }
        const length = c.pending.readUInt16BE(0);
        if (c.pending.length < 2 + length) break;
        const msg = c.pending.subarray(2, 2 + length);
        c.pending = c.pending.length === 2 + length ? EMPTY : c.pending.subarray(2 + length);
        answered = true;
        const reply = answerOrNothing(msg, true, responder, log);
        if (!reply) {
          socket.destroy(); // a packet we drop over UDP ends the TCP conversation
          return;
        }
        const framed = Buffer.allocUnsafe(2 + reply.length);
        framed.writeUInt16BE(reply.length, 0);
        reply.copy(framed, 2);
        socket.write(framed);
      }
      // A partial message (or nothing) is left: its deadline runs from when it started arriving.
      if (c.pending.length === 0 && c.partsLength === 0) c.partialSince = 0;
      else if (answered || c.partialSince === 0) c.partialSince = Date.now();
      // Everything the client sent before half-closing is answered (a partial message never will be).
      if (c.ended && !socket.writableEnded) socket.end();
    };
    const resume = () => {
      c.pausedSince = 0;
      answerPending();
      if (c.pausedSince === 0 && !socket.destroyed) socket.resume();
    };

    socket.on("data", (chunk: Buffer) => {
      c.parts.push(chunk);
      c.partsLength += chunk.length;
      if (c.pausedSince === 0) answerPending();
    });
    socket.on("end", () => {
      c.ended = true;
      if (c.pausedSince === 0) answerPending();
    });
    socket.on("error", () => socket.destroy());
  });
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
  rrl: ResponseRateLimiter | null,
  address: string,
  port: number,
  log: (m: string) => void,
  closers: (() => Promise<void>)[],
): number {
  // Inline try/catch, no closure per datagram: this runs for every query. The limiter reads the
  // clock once per batch (its resolution is the batch: at most 64 datagrams, microseconds).
  const socket = openBatchedUdp(native, address, port, (msg, out, at, room, peer, peerAt) => {
    try {
      return answerUdpQueryInto(msg, responder, out, at, room, rrl, peer, peerAt);
    } catch (e) {
      reportAnswerError(log, e);
      return 0;
    }
  }, rrl ? () => rrl.tick() : null);
  closers.push(async () => socket.close());
  return socket.port;
}

async function listenDgram(
  responder: Responder,
  rrl: ResponseRateLimiter | null,
  address: string,
  port: number,
  log: (m: string) => void,
  closers: (() => Promise<void>)[],
): Promise<number> {
  const udp = dgram.createSocket({ type: net.isIPv6(address) ? "udp6" : "udp4", recvBufferSize: 4 * 1024 * 1024, sendBufferSize: 4 * 1024 * 1024 });
  // The same answer path as the batched transport (rate limiting included), through one
  // scratch buffer; each reply is copied out, since dgram may send it after we return.
  const out = Buffer.alloc(4096);
  const peer = new Uint32Array(PEER_WORDS);
  udp.on("message", (msg, rinfo) => {
    let length = 0;
    try {
      if (rrl) {
        rrl.tick();
        writePeerWords(rinfo.address, peer);
      }
      length = answerUdpQueryInto(msg, responder, out, 0, out.length, rrl, peer, 0);
    } catch (e) {
      reportAnswerError(log, e);
      return;
    }
    if (length > 0) udp.send(Buffer.from(out.subarray(0, length)), rinfo.port, rinfo.address);
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
