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
}

/** What to send: nothing, finished bytes (the rare paths), or sections to put around the query. */
type Reply = null | Buffer | { query: ParsedQuery; sections: EncodedSections; limit: number };

function reply(raw: Buffer, tcp: boolean, { zones, cache }: Responder): Reply {
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
    const result = lookup(zones, query.qname, typeName(query.qtype), { tcp });
    sections = encodeSections(result.rcode, result.aa, result.answer, result.authority, result.additional);
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
 * The response to a UDP query `raw`, written straight into out[at .. at + room) (the batched
 * transport's send buffer: no allocation, no extra copy). Returns its length; 0 sends nothing.
 */
export function answerUdpQueryInto(raw: Buffer, responder: Responder, out: Buffer, at: number, room: number): number {
  const r = reply(raw, false, responder);
  if (r === null) return 0;
  if (Buffer.isBuffer(r)) return r.length <= room ? r.copy(out, at) : 0;
  return writeResponse(out, at, raw, r.query, r.sections, r.limit, room);
}
