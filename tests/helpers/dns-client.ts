// A small DNS client over real loopback sockets, for tests and the benchmark.
import dgram from "node:dgram";
import net from "node:net";
import dnsPacket, { type Packet } from "dns-packet";

export interface QueryOptions {
  tcp?: boolean;
  /** Add an OPT record; `udpPayloadSize` 0 means none. */
  edns?: { udpPayloadSize?: number; version?: number; dnssecOk?: boolean } | false;
  rd?: boolean;
  timeoutMs?: number;
  opcode?: number;
  qclass?: "IN" | "CH";
  /** The server's address (default 127.0.0.1). */
  host?: string;
}

let nextId = 1;

export function buildQuery(name: string, type: string, opts: QueryOptions = {}): Buffer {
  const id = (nextId = (nextId % 65535) + 1);
  const edns = opts.edns === undefined ? { udpPayloadSize: 1232 } : opts.edns;
  const packet = {
    type: "query",
    id,
    flags: (opts.rd ? dnsPacket.RECURSION_DESIRED : 0) | ((opts.opcode ?? 0) << 11),
    questions: [{ name, type, class: opts.qclass ?? "IN" }],
    additionals: edns
      ? [{ type: "OPT", name: ".", udpPayloadSize: edns.udpPayloadSize ?? 1232, extendedRcode: 0, ednsVersion: edns.version ?? 0, flags: edns.dnssecOk ? dnsPacket.DNSSEC_OK : 0, options: [] }]
      : [],
  } as unknown as Packet;
  return dnsPacket.encode(packet);
}

export function sendUdp(port: number, message: Buffer, timeoutMs = 2000, host = "127.0.0.1"): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket("udp4");
    const timer = setTimeout(() => {
      socket.close();
      resolve(null);
    }, timeoutMs);
    socket.on("message", (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(msg);
    });
    socket.on("error", (e) => {
      clearTimeout(timer);
      socket.close();
      reject(e);
    });
    socket.send(message, port, host);
  });
}

/** Sends messages on one TCP connection (RFC 7766 framing) and collects `expect` replies. */
export function sendTcp(port: number, messages: Buffer[], expect = messages.length, timeoutMs = 3000, host = "127.0.0.1"): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const replies: Buffer[] = [];
    let pending = Buffer.alloc(0);
    const socket = net.connect({ port, host });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(replies);
    }, timeoutMs);
    socket.on("connect", () => {
      for (const m of messages) {
        const prefix = Buffer.alloc(2);
        prefix.writeUInt16BE(m.length);
        socket.write(Buffer.concat([prefix, m]));
      }
    });
    socket.on("data", (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        replies.push(pending.subarray(2, 2 + pending.readUInt16BE(0)));
        pending = pending.subarray(2 + pending.readUInt16BE(0));
      }
      if (replies.length >= expect) {
        clearTimeout(timer);
        socket.destroy();
        resolve(replies);
      }
    });
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(replies);
    });
    socket.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** A record as dns-packet decodes it; `data` depends on the type (a string for A/CNAME/NS...). */
export interface ReplyRecord {
  name: string;
  type: string;
  class?: string;
  ttl: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
  [field: string]: unknown;
}

export interface Reply {
  id: number;
  flags: number;
  rcode: string;
  /** The full RCODE, with the OPT's extended bits (16 = BADVERS). */
  rcodeValue: number;
  aa: boolean;
  tc: boolean;
  raw: Buffer;
  questions: { name: string; type: string; class: string }[];
  answers: ReplyRecord[];
  authorities: ReplyRecord[];
  additionals: ReplyRecord[];
}

export function decodeReply(raw: Buffer): Reply {
  const packet = dnsPacket.decode(raw) as unknown as Omit<Reply, "raw" | "rcodeValue" | "aa" | "tc">;
  const opt = (packet.additionals ?? []).find((a) => a.type === "OPT") as { extendedRcode?: number } | undefined;
  const rcodeValue = ((opt?.extendedRcode ?? 0) << 4) | (packet.flags & 0xf);
  return { ...packet, raw, rcodeValue, aa: (packet.flags & 0x400) !== 0, tc: (packet.flags & 0x200) !== 0 };
}

export async function query(port: number, name: string, type: string, opts: QueryOptions = {}): Promise<Reply> {
  const message = buildQuery(name, type, opts);
  const host = opts.host ?? "127.0.0.1";
  const raw = opts.tcp ? (await sendTcp(port, [message], 1, opts.timeoutMs, host))[0] : await sendUdp(port, message, opts.timeoutMs, host);
  if (!raw) throw new Error(`no reply for ${name} ${type}`);
  return decodeReply(raw);
}

export function soaSerial(reply: Reply): number | undefined {
  const soa = [...(reply.answers ?? []), ...(reply.authorities ?? [])].find((a) => a.type === "SOA");
  return soa ? (soa.data as { serial: number }).serial : undefined;
}
