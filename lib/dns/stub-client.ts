// A stub DNS client: ask one server one question, the way `dig @server name type` does, and
// say what happened instead of throwing. Used by the delegation check and the nameserver
// pre-flight (lib/registrar/), which talk to servers that may be silent, refuse, or lie.
//
//   UDP first, with EDNS0 (payload 1232, the DNS Flag Day 2020 size that avoids IP
//   fragmentation), a random 16-bit id, and a reply accepted only when its id AND question
//   match ours (RFC 5452 §4.1): anything else arriving on the socket is ignored until the
//   timeout. On TC=1, the same question over TCP with 2-byte length framing (RFC 7766 §8;
//   RFC 1035 §4.2.2).
//
// Names in the decoded records are in our stored form: lowercase, no trailing dot (the root
// is ""), so callers compare them with === against names from lib/dns/names.ts.
import dgram from "node:dgram";
import { randomInt } from "node:crypto";
import { Resolver } from "node:dns/promises";
import net from "node:net";
import dnsPacket, { type Answer, type OptAnswer, type Packet } from "dns-packet";
import { canonicalIPv6, isIPv4, isIPv6 } from "./ip.ts";

export interface ServerEndpoint {
  address: string;
  port: number;
}

export interface QueryOptions {
  /** Per transport attempt (UDP, then TCP after TC=1). Default 1500 ms. */
  timeoutMs?: number;
  /** RD bit: false (the default) to ask an authoritative server, true to ask a resolver. */
  recursionDesired?: boolean;
}

/** A decoded resource record (dns-packet's shape, OPT left out), with names in stored form. */
export type DnsRecord = Exclude<Answer, OptAnswer>;

export type QueryFailure = "timeout" | "unreachable" | "malformed" | "invalid";

export type QueryOutcome =
  | {
      ok: true;
      /** "NOERROR", "NXDOMAIN", "REFUSED", "SERVFAIL"... (with the OPT's extended bits: "BADVERS"). */
      rcode: string;
      aa: boolean;
      /** Still set when the reply was truncated and the TCP retry failed too (see tcpError). */
      tc: boolean;
      transport: "udp" | "tcp";
      /** Round trip of the attempt that produced this reply. */
      ms: number;
      answers: DnsRecord[];
      authorities: DnsRecord[];
      additionals: DnsRecord[];
      /** Why the TCP retry after TC=1 failed; the truncated UDP reply is returned instead. */
      tcpError?: string;
    }
  | { ok: false; error: QueryFailure; message: string; ms: number };

export const DEFAULT_QUERY_TIMEOUT_MS = 1500;
const EDNS_PAYLOAD = 1232;
const FLAG_AA = 0x400;
const FLAG_TC = 0x200;

/** Stored form of a name from the wire: lowercase, no trailing dot, root = "". */
export function wireName(name: string): string {
  const lower = name.toLowerCase();
  return lower === "." ? "" : lower.replace(/\.$/, "");
}

/** An address in the form we compare: IPv6 canonical (RFC 5952), IPv4 as is. */
export function canonicalAddress(address: string): string {
  return isIPv6(address) ? canonicalIPv6(address) : address;
}

function normalizeRecord(record: Answer): DnsRecord {
  const r = { ...record, name: wireName(record.name) } as unknown as { type: string; data: unknown };
  const data = r.data as unknown;
  switch (r.type) {
    case "NS":
    case "CNAME":
    case "DNAME":
    case "PTR":
      if (typeof data === "string") r.data = wireName(data);
      break;
    case "AAAA":
      if (typeof data === "string") r.data = canonicalAddress(data);
      break;
    case "SOA": {
      const soa = data as { mname: string; rname: string };
      r.data = { ...soa, mname: wireName(soa.mname), rname: wireName(soa.rname) };
      break;
    }
    case "MX": {
      const mx = data as { exchange: string };
      r.data = { ...mx, exchange: wireName(mx.exchange) };
      break;
    }
    case "SRV": {
      const srv = data as { target: string; port: number };
      r.data = { ...srv, target: wireName(srv.target) };
      break;
    }
  }
  return r as DnsRecord;
}

function encodeQuery(id: number, name: string, type: string, rd: boolean): Buffer {
  return dnsPacket.encode({
    type: "query",
    id,
    flags: rd ? dnsPacket.RECURSION_DESIRED : 0,
    questions: [{ name: name === "" ? "." : name, type, class: "IN" }],
    additionals: [{ type: "OPT", name: ".", udpPayloadSize: EDNS_PAYLOAD, extendedRcode: 0, ednsVersion: 0, flags: 0, options: [] }],
  } as unknown as Packet);
}

const RCODES = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"];

/** RCODE mnemonic (RFC 1035 §4.1.1, RFC 6891 §9 for BADVERS), "RCODE<n>" for the rest. */
function rcodeName(value: number): string {
  return value === 16 ? "BADVERS" : (RCODES[value] ?? `RCODE${value}`);
}

type Decoded = Extract<QueryOutcome, { ok: true }>;

/**
 * Decodes a reply and checks that it answers our query: QR=1, same id, same question (name
 * compared case-insensitively: servers may echo 0x20-mixed case, RFC 4343). Returns null for
 * a datagram that is not the reply to this query; throws when it is ours but cannot be read.
 */
function readReply(raw: Buffer, id: number, name: string, type: string): Omit<Decoded, "transport" | "ms"> | null {
  if (raw.length < 12 || raw.readUInt16BE(0) !== id || (raw[2] & 0x80) === 0) return null;
  const packet = dnsPacket.decode(raw); // throws on a malformed message
  const flags = packet.flags ?? 0;
  const rcodeLow = flags & 0xf;
  const questions = packet.questions ?? [];
  // Some servers leave the question out of error replies (FORMERR, NOTIMP, REFUSED); accept
  // that only for errors, never for an answer we would otherwise take at face value.
  if (questions.length === 0 ? rcodeLow === 0 : !(questions.length === 1 && wireName(questions[0].name) === name && questions[0].type === type && (questions[0].class ?? "IN") === "IN")) {
    return null;
  }
  const opt = (packet.additionals ?? []).find((a) => a.type === "OPT") as { extendedRcode?: number } | undefined;
  const rcodeValue = ((opt?.extendedRcode ?? 0) << 4) | rcodeLow;
  return {
    ok: true,
    rcode: rcodeName(rcodeValue),
    aa: (flags & FLAG_AA) !== 0,
    tc: (flags & FLAG_TC) !== 0,
    answers: (packet.answers ?? []).map(normalizeRecord),
    authorities: (packet.authorities ?? []).map(normalizeRecord),
    additionals: (packet.additionals ?? []).filter((a) => a.type !== "OPT").map(normalizeRecord),
  };
}

const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL", "EAFNOSUPPORT", "ECONNRESET", "EPIPE", "EPERM", "EACCES"]);

function networkFailure(e: unknown, server: ServerEndpoint, ms: number): Extract<QueryOutcome, { ok: false }> {
  const code = (e as NodeJS.ErrnoException)?.code ?? "";
  const where = formatEndpoint(server);
  if (UNREACHABLE_CODES.has(code)) return { ok: false, error: "unreachable", message: `${where}: ${code === "ECONNREFUSED" ? "connection refused (nothing listens there)" : code}`, ms };
  return { ok: false, error: "unreachable", message: `${where}: ${(e as Error)?.message ?? String(e)}`, ms };
}

export function formatEndpoint(server: ServerEndpoint): string {
  const host = server.address.includes(":") ? `[${server.address}]` : server.address;
  return server.port === 53 ? host : `${host}:${server.port}`;
}

function queryUdp(server: ServerEndpoint, name: string, type: string, rd: boolean, timeoutMs: number): Promise<QueryOutcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const id = randomInt(0, 0x10000);
    let malformed: string | null = null;
    let done = false;
    const socket = dgram.createSocket(isIPv6(server.address) ? "udp6" : "udp4");
    const finish = (outcome: QueryOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try {
        socket.close();
      } catch {
        // already closed
      }
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      const ms = Date.now() - started;
      finish(
        malformed
          ? { ok: false, error: "malformed", message: `${formatEndpoint(server)}: unreadable reply (${malformed})`, ms }
          : { ok: false, error: "timeout", message: `${formatEndpoint(server)}: no reply within ${timeoutMs} ms`, ms },
      );
    }, timeoutMs);
    socket.on("error", (e) => finish(networkFailure(e, server, Date.now() - started)));
    socket.on("message", (raw) => {
      // The socket is connected, so the kernel only delivers datagrams from the server's
      // address and port; the id and question check weeds out late replies to someone else.
      try {
        const reply = readReply(raw, id, name, type);
        if (reply) finish({ ...reply, transport: "udp", ms: Date.now() - started });
      } catch (e) {
        malformed = (e as Error).message;
      }
    });
    // connect(): ICMP port-unreachable then surfaces as ECONNREFUSED at once instead of a
    // timeout, and stray datagrams from other sources never reach us.
    socket.connect(server.port, server.address, () => {
      if (done) return;
      socket.send(encodeQuery(id, name, type, rd), (e) => {
        if (e) finish(networkFailure(e, server, Date.now() - started));
      });
    });
  });
}

function queryTcp(server: ServerEndpoint, name: string, type: string, rd: boolean, timeoutMs: number): Promise<QueryOutcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const id = randomInt(0, 0x10000);
    const message = encodeQuery(id, name, type, rd);
    let pending = Buffer.alloc(0);
    let done = false;
    const socket = net.connect({ host: server.address, port: server.port });
    const finish = (outcome: QueryOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ ok: false, error: "timeout", message: `${formatEndpoint(server)} (tcp): no reply within ${timeoutMs} ms`, ms: Date.now() - started }),
      timeoutMs,
    );
    socket.on("connect", () => {
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(message.length);
      socket.write(Buffer.concat([prefix, message]));
    });
    socket.on("data", (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      // RFC 7766 §8: each message is preceded by its length; a server may send other
      // messages first (pipelining), so read frames until ours.
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const frame = pending.subarray(2, 2 + pending.readUInt16BE(0));
        pending = pending.subarray(2 + frame.length);
        try {
          const reply = readReply(frame, id, name, type);
          if (reply) return finish({ ...reply, transport: "tcp", ms: Date.now() - started });
        } catch (e) {
          return finish({ ok: false, error: "malformed", message: `${formatEndpoint(server)} (tcp): unreadable reply (${(e as Error).message})`, ms: Date.now() - started });
        }
      }
    });
    socket.on("error", (e) => finish(networkFailure(e, server, Date.now() - started)));
    socket.on("close", () =>
      finish({ ok: false, error: "unreachable", message: `${formatEndpoint(server)} (tcp): connection closed before a reply`, ms: Date.now() - started }),
    );
  });
}

/**
 * Asks `server` one question. Never throws for network trouble or bad replies: the outcome
 * says what went wrong. `name` may be typed with or without the trailing dot.
 */
export async function queryServer(server: ServerEndpoint, name: string, type: string, opts: QueryOptions = {}): Promise<QueryOutcome> {
  const timeoutMs = Math.max(1, opts.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS);
  const rd = opts.recursionDesired ?? false;
  const qname = wireName(name);
  const qtype = type.toUpperCase();
  if (!isIPv4(server.address) && !isIPv6(server.address)) {
    return { ok: false, error: "invalid", message: `"${server.address}" is not an IP address`, ms: 0 };
  }
  if (!Number.isInteger(server.port) || server.port < 1 || server.port > 65535) {
    return { ok: false, error: "invalid", message: `${server.port} is not a port number`, ms: 0 };
  }
  try {
    encodeQuery(0, qname, qtype, rd);
  } catch (e) {
    return { ok: false, error: "invalid", message: `cannot ask for ${name} ${type}: ${(e as Error).message}`, ms: 0 };
  }
  const udp = await queryUdp(server, qname, qtype, rd, timeoutMs);
  if (!udp.ok || !udp.tc) return udp;
  // Truncated: the full answer only comes over TCP (RFC 7766 §5: every server supports it).
  const tcp = await queryTcp(server, qname, qtype, rd, timeoutMs);
  return tcp.ok ? tcp : { ...udp, tcpError: tcp.message };
}

export interface AddressLookup {
  /** IPv4 first, then IPv6; deduplicated, IPv6 in canonical form. */
  addresses: string[];
  /** Set when neither lookup produced an answer (timeout, NXDOMAIN, SERVFAIL...). */
  error?: string;
}

/**
 * The A and AAAA addresses of `hostname` through a recursive resolver (RD=1), or through the
 * system's resolvers (node:dns Resolver with its default servers) when `resolver` is null.
 * Both types are asked in parallel; never throws.
 */
export async function resolveAddresses(hostname: string, resolver: ServerEndpoint | null, opts: { timeoutMs?: number } = {}): Promise<AddressLookup> {
  const timeoutMs = Math.max(1, opts.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS);
  const name = wireName(hostname);
  const lookups = resolver
    ? await Promise.all((["A", "AAAA"] as const).map((type) => viaServer(resolver, name, type, timeoutMs)))
    : await Promise.all((["A", "AAAA"] as const).map((type) => viaSystem(name, type, timeoutMs)));
  const addresses = [...new Set(lookups.flatMap((l) => l.addresses))];
  if (addresses.length) return { addresses };
  const errors = [...new Set(lookups.flatMap((l) => (l.error ? [l.error] : [])))];
  return errors.length ? { addresses, error: errors.join("; ") } : { addresses, error: `${name} has no A or AAAA records` };
}

async function viaServer(resolver: ServerEndpoint, name: string, type: "A" | "AAAA", timeoutMs: number): Promise<AddressLookup> {
  const outcome = await queryServer(resolver, name, type, { timeoutMs, recursionDesired: true });
  if (!outcome.ok) return { addresses: [], error: outcome.message };
  if (outcome.rcode === "NXDOMAIN") return { addresses: [], error: `${name} does not exist (NXDOMAIN)` };
  // No type in the message: the A and AAAA errors are usually the same, and said once.
  if (outcome.rcode !== "NOERROR") return { addresses: [], error: `resolver ${formatEndpoint(resolver)} answered ${outcome.rcode} for ${name}` };
  // The answer may be a CNAME chain ending in the addresses; any address in it belongs to
  // the name we asked for.
  return { addresses: outcome.answers.filter((a) => a.type === type).map((a) => canonicalAddress(String(a.data))) };
}

async function viaSystem(name: string, type: "A" | "AAAA", timeoutMs: number): Promise<AddressLookup> {
  // tries: 1 and the timeout bound each server's attempt; the race bounds the whole lookup
  // when the system lists several servers, and cancel() stops what is still running.
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<AddressLookup>((resolve) => {
    timer = setTimeout(() => resolve({ addresses: [], error: `no answer for ${name} ${type} within ${timeoutMs} ms` }), timeoutMs);
  });
  const lookup = (type === "A" ? resolver.resolve4(name) : resolver.resolve6(name)).then(
    (addresses): AddressLookup => ({ addresses: addresses.map(canonicalAddress) }),
    (e: NodeJS.ErrnoException): AddressLookup => {
      // ENODATA: the name exists without this type, which is no error for "A or AAAA".
      if (e.code === "ENODATA") return { addresses: [] };
      if (e.code === "ENOTFOUND") return { addresses: [], error: `${name} does not exist (NXDOMAIN)` };
      return { addresses: [], error: `${name} ${type}: ${e.code ?? e.message}` };
    },
  );
  try {
    return await Promise.race([lookup, deadline]);
  } finally {
    clearTimeout(timer);
    resolver.cancel();
  }
}
