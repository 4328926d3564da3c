// From query bytes to response bytes: parse, check what we do not serve, look up (or take the
// cached encoded answer), assemble. Returns null when the packet must be dropped.
import { createRequire } from "node:module";
import { AnswerCache } from "./answer-cache.ts";
import { lookup, RCODE } from "./lookup.ts";
import { parseQuery, TYPE_OPT } from "./query-parser.ts";
import {
  assembleResponse, encodeSections, headerOnlyResponse, headerOnlySections, sizeLimit, writeResponse, type EncodedSections,
} from "./response.ts";
import type { ParsedQuery } from "./query-parser.ts";
import { NO_ZONE, QueryCounters, type NameCount, type QueryCell } from "./query-stats.ts";
import { classifyAnswer, RRL_DROP, RRL_ERROR, RRL_SEND, type ResponseRateLimiter } from "./rrl.ts";
import type { ZoneSet } from "./zone-set.ts";

const require = createRequire(import.meta.url);
const dnsTypes: { toString(type: number): string } = require("dns-packet/types.js");

const CLASS_IN = 1;
const TYPE_AXFR = 252;
const TYPE_IXFR = 251;
const TYPE_ANY = 255;

const typeNames = new Map<number, string>();
function typeName(qtype: number): string {
  let name = typeNames.get(qtype);
  if (name === undefined) typeNames.set(qtype, (name = dnsTypes.toString(qtype)));
  return name;
}

export interface Responder {
  zones: ZoneSet;
  cache: AnswerCache;
  /** Minimal responses: no additional addresses for MX/NS/SRV answers (lookup.ts LookupOptions). */
  minimal?: boolean;
  /** Where queries are counted (query-stats.ts); one for every view of the process. */
  stats?: QueryCounters;
}

/** Counts of responders that were given none (unit tests): counted all the same, never read. */
const UNREAD_STATS = new QueryCounters();

/** What to send: nothing, finished bytes (the rare paths), or sections to put around the query. */
type Reply = null | Buffer | { query: ParsedQuery; sections: EncodedSections; limit: number };

function reply(raw: Buffer, tcp: boolean, { zones, cache, minimal, stats = UNREAD_STATS }: Responder): Reply {
  const parsed = parseQuery(raw);
  if (!parsed.ok) {
    if (parsed.reply === "drop") {
      stats.dropped++;
      return null;
    }
    const rcode = parsed.reply === "notimp" ? RCODE.NOTIMP : RCODE.FORMERR;
    // The question's type when it could be read (a NOTIMP's echoed question), else "other".
    stats.countUncached(parsed.questionEnd !== undefined ? raw.readUInt16BE(parsed.questionEnd - 4) : 0, rcode, tcp);
    return headerOnlyResponse(raw, parsed.id!, parsed.flags!, rcode, parsed.questionEnd, parsed.edns);
  }
  const query = parsed.query;
  const limit = sizeLimit(query, tcp);
  // RFC 6891 §6.1.3: we speak EDNS version 0 only.
  if (query.edns && query.edns.version > 0) {
    stats.countUncached(query.qtype, RCODE.BADVERS, tcp);
    return { query, sections: headerOnlySections(RCODE.BADVERS), limit };
  }
  if (query.qtype === TYPE_OPT) {
    stats.countUncached(query.qtype, RCODE.FORMERR, tcp);
    return headerOnlyResponse(raw, query.id, query.flags, RCODE.FORMERR, query.questionEnd, query.edns);
  }
  // Only class IN; zone transfers are not offered (yet).
  if (query.qclass !== CLASS_IN || query.qtype === TYPE_AXFR || query.qtype === TYPE_IXFR) {
    stats.countUncached(query.qtype, RCODE.REFUSED, tcp);
    return { query, sections: headerOnlySections(RCODE.REFUSED), limit };
  }

  const key = query.qtype === TYPE_ANY && tcp ? `${query.qname}|${query.qtype}|tcp` : `${query.qname}|${query.qtype}`;
  let sections = cache.get(key) as CachedSections | undefined;
  if (!sections) {
    const result = lookup(zones, query.qname, typeName(query.qtype), { tcp, minimal });
    const zone = result.zones[0];
    // The zone the answer came from (the question's own; a CNAME chain's other zones are not
    // what was asked); none when REFUSED.
    const cell = stats.cell(zone?.name ?? NO_ZONE, query.qtype, result.rcode);
    sections = cachedSections(
      encodeSections(query.qname, result.rcode, result.aa, result.answer, result.authority, result.additional),
      classifyAnswer(result.verdict, query.qname, query.qtype, zone?.name, result.authority[0]?.name,
        zone !== undefined && zone.node(query.qname) === undefined),
      cell,
      cell.topNames === null ? null : cell.topNames.offer(query.qname),
    );
    cache.set(key, sections, result.zones);
  } else {
    // A hit: its name counts once more where it counted last, or is offered again when the
    // zone's top names let that count go (a rollup started them over, or a busier name took it).
    const held = sections.nameCount;
    if (held !== null) {
      if (held.live) held.count++;
      else sections.nameCount = sections.cell.topNames!.offer(held.name);
    }
  }
  if (tcp) sections.cell.tcp++;
  else sections.cell.udp++;
  return { query, sections, limit };
}

/** The response to `raw` (null: send nothing). */
export function answerQuery(raw: Buffer, tcp: boolean, responder: Responder): Buffer | null {
  const r = reply(raw, tcp, responder);
  return r === null || Buffer.isBuffer(r) ? r : assembleResponse(raw, r.query, r.sections, r.limit);
}

/**
 * Cached sections carry their response-rate-limiting class (nameserver/rrl.ts), worked out once
 * from the lookup when the answer is built, so that a cache hit costs no classification.
 * Sections built per query (BADVERS, REFUSED for a class or a transfer) have none: errors.
 */
type RrlClassified = EncodedSections & { rrlClass?: number };

/**
 * Sections built by a lookup (the cached ones) also carry where their queries are counted
 * (query-stats.ts): the cell of their (zone, qtype, rcode) and their name's count in the zone's
 * top names, so that a cache hit counts with two increments and no lookup.
 */
interface CachedSections extends EncodedSections {
  rrlClass: number;
  cell: QueryCell;
  nameCount: NameCount | null;
}

/**
 * One object literal with every field: they are then held in the object itself, where fields
 * added one by one after it was made would take a separate, larger property store (about 50
 * bytes more per cached answer).
 */
function cachedSections(s: EncodedSections, rrlClass: number, cell: QueryCell, nameCount: NameCount | null): CachedSections {
  return {
    rcode: s.rcode, aa: s.aa, body: s.body, ancount: s.ancount, nscount: s.nscount, arcount: s.arcount,
    additionalStart: s.additionalStart, additionalEnds: s.additionalEnds, glueRequired: s.glueRequired,
    rrlClass, cell, nameCount,
  };
}

const FLAG_TC = 0x0200;

/**
 * The response to a UDP query `raw`, written straight into out[at .. at + room) (the batched
 * transport's send buffer: no allocation, no extra copy). Returns its length; 0 sends nothing.
 * With a rate limiter, the response is accounted to the client at peer[peerAt..] (rrl.ts's
 * layout) and, over its rate, dropped or "slipped": sent with TC=1 and no records, so a real
 * client retries over TCP (RFC 1035 §4.2.1, RFC 7766 §5: TC sends a client to TCP).
 */
export function answerUdpQueryInto(
  raw: Buffer, responder: Responder, out: Buffer, at: number, room: number,
  rrl: ResponseRateLimiter | null = null, peer: Uint32Array | null = null, peerAt = 0,
): number {
  const r = reply(raw, false, responder);
  if (r === null) return 0;
  if (Buffer.isBuffer(r)) {
    // FORMERR, NOTIMP: header and question only, already as small as a slipped reply.
    const verdict = rrl !== null && peer !== null ? rrl.check(peer, peerAt, RRL_ERROR) : RRL_SEND;
    if (verdict === RRL_DROP || r.length > room) return 0;
    r.copy(out, at);
    if (verdict !== RRL_SEND) out[at + 2] |= FLAG_TC >> 8;
    return r.length;
  }
  if (rrl !== null && peer !== null) {
    const verdict = rrl.check(peer, peerAt, (r.sections as RrlClassified).rrlClass ?? RRL_ERROR);
    if (verdict !== RRL_SEND) return verdict === RRL_DROP ? 0 : writeSlipped(raw, r.query, r.sections.rcode, out, at, room);
  }
  return writeResponse(out, at, raw, r.query, r.sections, r.limit, room);
}

/** A slipped reply: the header (TC=1, RCODE kept), the question, our OPT if the query had one. */
function writeSlipped(raw: Buffer, query: ParsedQuery, rcode: number, out: Buffer, at: number, room: number): number {
  const slipped = headerOnlyResponse(raw, query.id, query.flags, rcode, query.questionEnd, query.edns);
  if (slipped.length > room) return 0;
  slipped[2] |= FLAG_TC >> 8;
  return slipped.copy(out, at);
}
