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
}

/** What to send: nothing, finished bytes (the rare paths), or sections to put around the query. */
type Reply = null | Buffer | { query: ParsedQuery; sections: EncodedSections; limit: number };

function reply(raw: Buffer, tcp: boolean, { zones, cache, minimal }: Responder): Reply {
  const parsed = parseQuery(raw);
  if (!parsed.ok) {
    if (parsed.reply === "drop") return null;
    const rcode = parsed.reply === "notimp" ? RCODE.NOTIMP : RCODE.FORMERR;
    return headerOnlyResponse(raw, parsed.id!, parsed.flags!, rcode, parsed.questionEnd, parsed.edns);
  }
  const query = parsed.query;
  const limit = sizeLimit(query, tcp);
  // RFC 6891 §6.1.3: we speak EDNS version 0 only.
  if (query.edns && query.edns.version > 0) return { query, sections: headerOnlySections(RCODE.BADVERS), limit };
  if (query.qtype === TYPE_OPT) return headerOnlyResponse(raw, query.id, query.flags, RCODE.FORMERR, query.questionEnd, query.edns);
  // Only class IN; zone transfers are not offered (yet).
  if (query.qclass !== CLASS_IN || query.qtype === TYPE_AXFR || query.qtype === TYPE_IXFR) {
    return { query, sections: headerOnlySections(RCODE.REFUSED), limit };
  }

  const key = query.qtype === TYPE_ANY && tcp ? `${query.qname}|${query.qtype}|tcp` : `${query.qname}|${query.qtype}`;
  let sections = cache.get(key);
  if (!sections) {
    const result = lookup(zones, query.qname, typeName(query.qtype), { tcp, minimal });
    sections = encodeSections(query.qname, result.rcode, result.aa, result.answer, result.authority, result.additional);
    (sections as RrlClassified).rrlClass = classifyAnswer(result.verdict, query.qname, query.qtype, result.zones[0]?.name,
      result.authority[0]?.name, result.zones[0] !== undefined && result.zones[0].node(query.qname) === undefined);
    cache.set(key, sections, result.zones);
  }
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
