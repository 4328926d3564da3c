// WHOIS (RFC 3912) for our local registry: the same data as RDAP (lib/registry/rdap.ts), as
// text, over TCP. The protocol is one query line in (ending in CRLF), text out, and the server
// closes the connection.
//
// The text follows the "Key: value" layout registries use (the ICANN registration data
// format): Domain Name, Registry Domain ID, dates, Domain Status with the ICANN explanation
// URL, Name Server, DNSSEC, a redacted registrant, and the ">>> Last update of WHOIS
// database <<<" line. A query is a domain name; "domain <name>" and "nameserver <name>"
// choose the object type; a plain name that is no registration but a nameserver we answer
// for (a host object of our registry, or one of our own) answers as that nameserver.
//
// The server reads at most MAX_QUERY_BYTES and waits at most `timeoutMs` for the line; garbage,
// silence or a vanished client end that one connection and nothing else.
import net from "node:net";
import { admitLookup } from "./lookup-limit.ts";
import { lookupDomain, lookupNameserver, type Lookup } from "./public-lookup.ts";
import { dsData, rdapDate, registryObjectId, TERMS_OF_USE, unicodeNameOf } from "./rdap.ts";
import type { HostInfo, RegistrationInfo } from "./registry.ts";
import { tldOf } from "./names.ts";

const CRLF = "\r\n";
export const MAX_QUERY_BYTES = 512;
export const DEFAULT_WHOIS_TIMEOUT_MS = 10_000;
const REDACTED = "REDACTED FOR PRIVACY";

function lastUpdate(now: Date): string {
  return `>>> Last update of WHOIS database: ${rdapDate(now)} <<<`;
}

function footer(now: Date): string[] {
  return ["", lastUpdate(now), "", ...TERMS_OF_USE.description];
}

function text(lines: string[]): string {
  return lines.join(CRLF) + CRLF;
}

/** Text made from the query, echoed back: printable characters only, so it cannot drive the reader's terminal. */
function echo(query: string, max = 80): string {
  const printable = query.replace(/[\p{Cc}\p{Cf}]/gu, "");
  return printable.length > max ? `${printable.slice(0, max)}...` : printable;
}

/** The record of a registration. */
export function whoisDomainText(info: RegistrationInfo, now: Date): string {
  const unicode = unicodeNameOf(info.name);
  const lines = [
    `Domain Name: ${info.name}`,
    ...(unicode !== info.name ? [`Internationalized Domain Name: ${unicode}`] : []),
    `Registry Domain ID: ${registryObjectId(info.name, info.tld)}`,
    `Updated Date: ${rdapDate(info.updatedAt)}`,
    `Creation Date: ${rdapDate(info.registeredAt)}`,
    `Registry Expiry Date: ${rdapDate(info.expiresAt)}`,
    ...info.statuses.map((s) => `Domain Status: ${s} https://icann.org/epp#${s}`),
    `Registrant Name: ${REDACTED}`,
    `Registrant Organization: ${REDACTED}`,
    `Registrant Email: ${REDACTED}`,
    // Names only, as registries print them; a nameserver query shows the glue we hold.
    ...info.nameservers.map((ns) => `Name Server: ${ns.name}`),
    `DNSSEC: ${info.ds.length ? "signedDelegation" : "unsigned"}`,
    ...info.ds.map((ds) => {
      const d = dsData(ds);
      return `DNSSEC DS Data: ${d.keyTag} ${d.algorithm} ${d.digestType} ${d.digest}`;
    }),
    ...footer(now),
  ];
  return text(lines);
}

/** The record of a nameserver (a host object, or one of ours). */
export function whoisNameserverText(host: HostInfo, scope: { tlds: readonly string[] }, now: Date): string {
  const inRegistry = Boolean(tldOf(host.name, scope.tlds));
  const lines = [
    `Server Name: ${host.name}`,
    ...(inRegistry ? [...host.ipv4, ...host.ipv6].map((a) => `IP Address: ${a}`) : []),
    ...footer(now),
  ];
  return text(lines);
}

function notFound<T>(query: string, verdict: Exclude<Lookup<T>, { kind: "found" }>, now: Date): string {
  if (verdict.kind === "invalid") return text([`Invalid query "${echo(query)}": ${echo(verdict.reason, 200)}.`, ...footer(now)]);
  const lines = [`No match for "${echo(verdict.name)}".`];
  if (verdict.kind === "not-ours") {
    lines.push(`This server answers for names under ${verdict.tlds.map((t) => `.${t}`).join(", ") || "no TLD yet"} only.`);
  }
  return text([...lines, ...footer(now)]);
}

/** The answer to one WHOIS query line. */
export async function whoisAnswer(query: string, now: () => Date = () => new Date()): Promise<string> {
  const line = query.trim();
  const keyword = /^(domain|nameserver|ns)\s+(.*)$/i.exec(line);
  const type = keyword ? (keyword[1].toLowerCase() === "domain" ? "domain" : "nameserver") : "any";
  const name = keyword ? keyword[2] : line;
  if (type !== "nameserver") {
    const domain = await lookupDomain(name);
    if (domain.kind === "found") return whoisDomainText(domain.object, now());
    if (type === "domain" || domain.kind === "invalid") return notFound(name, domain, now());
    const host = await lookupNameserver(name);
    if (host.kind === "found") return whoisNameserverText(host.object, host, now());
    return notFound(name, domain, now());
  }
  const host = await lookupNameserver(name);
  return host.kind === "found" ? whoisNameserverText(host.object, host, now()) : notFound(name, host, now());
}

export interface WhoisServer {
  /** The port it listens on (useful with port 0). */
  port: number;
  address: string;
  /** Stops listening and ends the connections still open. */
  close(): Promise<void>;
}

export interface WhoisServerOptions {
  port: number;
  address: string;
  log?: (line: string) => void;
  /** How long a client may take to send its query line, and to read the answer (default 10 s each). */
  timeoutMs?: number;
}

/** Starts the WHOIS server; resolves once it listens. */
export function startWhoisServer(opts: WhoisServerOptions): Promise<WhoisServer> {
  const log = opts.log ?? (() => {});
  const timeoutMs = opts.timeoutMs ?? DEFAULT_WHOIS_TIMEOUT_MS;
  const open = new Set<net.Socket>();

  // allowHalfOpen: a client may send its query and then end its side (`nc -N`); we still answer.
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    // A reset or a broken pipe concerns this connection only.
    socket.on("error", () => socket.destroy());
    // A deadline, not an idle timeout: a client trickling one byte at a time cannot hold the
    // connection longer. It starts again for the answer (a client that does not read it).
    const kill = () => socket.destroy();
    let deadline = setTimeout(kill, timeoutMs);
    socket.on("close", () => clearTimeout(deadline));

    let received = Buffer.alloc(0);
    let done = false;
    const reply = (body: string) => {
      if (!socket.destroyed) socket.end(body);
    };
    const finish = (query: string | null) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      deadline = setTimeout(kill, timeoutMs);
      socket.removeAllListeners("data");
      if (query === null) return reply(text([`Query too long (at most ${MAX_QUERY_BYTES} bytes).`]));
      void respond(query);
    };
    const respond = async (query: string) => {
      try {
        const admission = await admitLookup(socket.remoteAddress);
        if (!admission.ok) return reply(text([`Rate limit exceeded: at most ${admission.limit} queries per minute; try again in ${admission.retryAfterSeconds} seconds.`]));
        reply(await whoisAnswer(query));
      } catch (e) {
        log(`[whois] query failed: ${e instanceof Error ? e.message : String(e)}`);
        reply(text(["Temporary failure: try again later."]));
      }
    };
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const newline = received.indexOf(0x0a);
      if (newline >= 0 && newline <= MAX_QUERY_BYTES) return finish(received.subarray(0, newline).toString("utf8").replace(/\r$/, ""));
      if (received.length > MAX_QUERY_BYTES) finish(null);
    });
    // The client ended its side without a newline: what it sent is the query.
    socket.on("end", () => {
      if (!done && received.length > 0) finish(received.toString("utf8"));
      else if (!done) socket.destroy();
    });
  });
  server.maxConnections = 512;

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.address, () => {
      server.off("error", reject);
      server.on("error", (e) => log(`[whois] ${e.message}`));
      const bound = server.address() as net.AddressInfo;
      log(`[whois] listening on ${opts.address}:${bound.port}`);
      resolve({
        port: bound.port,
        address: opts.address,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of open) socket.destroy();
          }),
      });
    });
  });
}
