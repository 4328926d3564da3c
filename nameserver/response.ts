// Builds response packets: header + the query's own question bytes + pre-encoded sections.
// Sections are encoded once per distinct answer (the answer cache keeps them), so a cached
// answer costs one buffer copy and a few header writes.
import dnsPacket from "dns-packet";
import type { Answer } from "./zone-index.ts";
import type { ParsedQuery } from "./query-parser.ts";

// dns-packet exports its record codec as `answer`; its typings do not declare it.
const answerCodec = (dnsPacket as unknown as { answer: { encode(rr: Answer): Buffer } }).answer;

/** The payload size we advertise: fits an unfragmented IPv6 packet (DNS Flag Day 2020). */
export const OUR_UDP_PAYLOAD_SIZE = 1232;
export const TCP_MAX = 65535;

export interface EncodedSections {
  rcode: number;
  aa: boolean;
  body: Buffer; // answer + authority + additional records, no OPT
  ancount: number;
  nscount: number;
  arcount: number;
  /** Offset in `body` where the additional section starts (= its length without additional data). */
  additionalStart: number;
  /**
   * For each additional record, the offset in `body` just after the RRset it belongs to, so
   * that dropping trailing additional records for room never splits an RRset (RFC 2181 §5, §9).
   */
  additionalEnds: number[];
  /**
   * A referral: its glue is required data, not optional extras. Glue that does not fit sets TC
   * (RFC 9471) instead of being dropped. (Simplification: all of it, not only in-domain glue.)
   */
  glueRequired: boolean;
}

/**
 * Encodes the answer, authority and additional sections once, for the cache. `qname` is the
 * question's name as the parser gives it (lowercase, unusual octets as \DDD); the question always
 * sits at offset 12 and its name has the same length whatever the client's letter case (0x20
 * randomisation), so the sections can point into it and the same bytes serve every spelling.
 */
export function encodeSections(qname: string, rcode: number, aa: boolean, answer: Answer[], authority: Answer[], additional: Answer[]): EncodedSections {
  const writer = new CompressingWriter(qname, [...answer, ...authority, ...additional].map((rr) => answerCodec.encode(rr)));
  for (let i = 0; i < answer.length + authority.length; i++) writer.record(i);
  const additionalStart = writer.length;
  const tailLengths: number[] = [];
  for (let i = answer.length + authority.length; i < writer.count; i++) tailLengths.push(writer.record(i));
  return {
    rcode, aa,
    body: writer.finish(),
    ancount: answer.length, nscount: authority.length, arcount: additional.length,
    additionalStart,
    additionalEnds: rrsetEnds(additional, tailLengths, additionalStart),
    glueRequired: !aa && answer.length === 0 && additional.length > 0 && authority.some((rr) => rr.type === "NS"),
  };
}

// Name compression (RFC 1035 §4.1.4): a name, or its tail, that already appears earlier in the
// message is replaced by a 2-byte pointer (two high bits set, then the 14-bit offset of the
// earlier occurrence). It runs when an answer is cached, never per query, so it is written for
// clarity: records are encoded by dns-packet (uncompressed), then copied with their owner name
// and the names inside RDATA of the types RFC 3597 §4 allows to be compressed (NS, CNAME,
// SOA, PTR, MX among those we serve) rewritten. SRV targets ("MUST NOT be compressed",
// RFC 2782) and every other name in RDATA are copied as they are: a receiver that does not know
// a type must be able to copy its RDATA unchanged (RFC 3597 §4). To stay on the safe side they
// are not used as pointer targets either; owners and compressible names are.
// Pointers only ever point backwards (at the question or at earlier records), so leaving out
// trailing additional RRsets for room never leaves a pointer dangling.

const COMPRESSIBLE_RDATA = { NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15 } as const;
/** The largest offset a pointer can hold (14 bits). */
const MAX_POINTER_TARGET = 0x3fff;
const QUESTION_NAME_OFFSET = 12;

/** The question name in wire form: the parser's dotted lowercase form, \DDD escapes decoded. */
export function questionNameWire(qname: string): Buffer {
  const bytes: number[] = [];
  if (qname !== "" && qname !== ".") {
    for (const label of qname.split(".")) {
      const octets: number[] = [];
      for (let i = 0; i < label.length; i++) {
        if (label[i] === "\\" && /^\d{3}$/.test(label.slice(i + 1, i + 4))) {
          octets.push(Number(label.slice(i + 1, i + 4)));
          i += 3;
        } else octets.push(label.charCodeAt(i));
      }
      bytes.push(octets.length, ...octets);
    }
  }
  bytes.push(0);
  return Buffer.from(bytes);
}

/**
 * The key for a name's suffix starting at src[at]: its wire bytes, ASCII letters lowercased and
 * nothing else (RFC 4343: only A-Z and a-z compare equal; toLowerCase alone would also fold
 * octets such as 0xC0).
 */
function suffixKey(src: Buffer, at: number, end: number): string {
  const key = src.toString("latin1", at, end);
  return UPPER_ASCII.test(key) ? key.replace(UPPER_ASCII_RUNS, (run) => run.toLowerCase()) : key;
}
const UPPER_ASCII = /[A-Z]/;
const UPPER_ASCII_RUNS = /[A-Z]+/g;

let scratch = Buffer.allocUnsafe(TCP_MAX);

class CompressingWriter {
  /** Where each name suffix already written starts, in message offsets, by suffixKey. */
  private readonly offsets = new Map<string, number>();
  /** Message offset of out[0]: the body follows the header and the question. */
  private readonly base: number;
  private readonly out: Buffer;
  private pos = 0;

  constructor(qname: string, private readonly encoded: Buffer[]) {
    const question = questionNameWire(qname);
    this.base = QUESTION_NAME_OFFSET + question.length + 4; // + QTYPE, QCLASS
    this.remember(question, QUESTION_NAME_OFFSET);
    // Compression only shrinks records: their uncompressed size is enough room. Encoding is
    // synchronous, so one scratch buffer serves every encoding; finish() copies the result out.
    const room = encoded.reduce((n, b) => n + b.length, 0);
    if (room > scratch.length) scratch = Buffer.allocUnsafe(room);
    this.out = scratch;
  }

  get count(): number {
    return this.encoded.length;
  }

  get length(): number {
    return this.pos;
  }

  /** Writes record i (owner, type, class, TTL, RDLENGTH, RDATA); returns its length. */
  record(i: number): number {
    const src = this.encoded[i];
    const start = this.pos;
    let at = this.name(src, 0);
    const type = src.readUInt16BE(at);
    const rdlength = src.readUInt16BE(at + 8);
    this.copy(src, at, at + 8); // TYPE, CLASS, TTL
    const rdlengthAt = this.pos;
    this.pos += 2;
    at += 10;
    const rdataEnd = at + rdlength;
    switch (type) {
      case COMPRESSIBLE_RDATA.NS:
      case COMPRESSIBLE_RDATA.CNAME:
      case COMPRESSIBLE_RDATA.PTR:
        this.name(src, at);
        break;
      case COMPRESSIBLE_RDATA.MX: // PREFERENCE, EXCHANGE
        this.copy(src, at, at + 2);
        this.name(src, at + 2);
        break;
      case COMPRESSIBLE_RDATA.SOA: // MNAME, RNAME, then five 32-bit numbers
        this.copy(src, this.name(src, this.name(src, at)), rdataEnd);
        break;
      default:
        this.copy(src, at, rdataEnd);
    }
    this.out.writeUInt16BE(this.pos - rdlengthAt - 2, rdlengthAt);
    return this.pos - start;
  }

  /** The body, in a buffer of its own size (the cache keeps it). */
  finish(): Buffer {
    const body = Buffer.allocUnsafe(this.pos);
    this.out.copy(body, 0, 0, this.pos);
    return body;
  }

  private copy(src: Buffer, from: number, to: number) {
    this.pos += src.copy(this.out, this.pos, from, to);
  }

  /**
   * Writes the uncompressed name at src[at..]: its labels up to the longest suffix already in
   * the message, then a pointer to that (or the root label when there is none). Returns the
   * offset in src after the name.
   */
  private name(src: Buffer, at: number): number {
    const labels: number[] = [];
    let end = at;
    while (src[end] !== 0) {
      if (src[end] > 63) throw new Error("encodeSections: expected an uncompressed name");
      labels.push(end);
      end += 1 + src[end];
    }
    end++; // the root label
    let k = 0;
    let target: number | undefined;
    for (; k < labels.length; k++) {
      target = this.offsets.get(suffixKey(src, labels[k], end));
      if (target !== undefined) break;
    }
    // Labels before the match are written out and become pointer targets themselves.
    const written = this.pos;
    this.copy(src, at, k < labels.length ? labels[k] : end);
    this.remember(src.subarray(at, end), this.base + written, k);
    if (target !== undefined) {
      this.out.writeUInt16BE(0xc000 | target, this.pos);
      this.pos += 2;
    }
    return end;
  }

  /**
   * Records where the suffixes of `name` (uncompressed wire form) start, when written at message
   * offset `offset`: the first `count` labels (all by default). Offsets past 14 bits cannot be
   * pointed at; the first occurrence of a suffix is kept.
   */
  private remember(name: Buffer, offset: number, count = Infinity) {
    for (let i = 0, n = 0; name[i] !== 0 && n < count; i += 1 + name[i], n++) {
      if (offset + i > MAX_POINTER_TARGET) return;
      const key = suffixKey(name, i, name.length);
      if (!this.offsets.has(key)) this.offsets.set(key, offset + i);
    }
  }
}

/** For each record, the offset after the last record of its RRset (consecutive records of one name and type). */
function rrsetEnds(records: Answer[], lengths: number[], start: number): number[] {
  const ends: number[] = new Array(records.length);
  let offset = start;
  let first = 0; // first record of the current RRset
  for (let i = 0; i < records.length; i++) {
    offset += lengths[i];
    const next = records[i + 1];
    if (next === undefined || next.name !== records[i].name || next.type !== records[i].type) {
      ends.fill(offset, first, i + 1);
      first = i + 1;
    }
  }
  return ends;
}

export const headerOnlySections = (rcode: number): EncodedSections => ({
  rcode, aa: false, body: Buffer.alloc(0), ancount: 0, nscount: 0, arcount: 0, additionalStart: 0, additionalEnds: [], glueRequired: false,
});

const OPT_LENGTH = 11;
const FLAG_QR = 0x8000, FLAG_AA = 0x0400, FLAG_TC = 0x0200, FLAG_RD = 0x0100, FLAG_CD = 0x0010;

function writeOpt(buf: Buffer, offset: number, extendedRcode: number, dnssecOk: boolean) {
  buf[offset] = 0; // root owner
  buf.writeUInt16BE(41, offset + 1);
  buf.writeUInt16BE(OUR_UDP_PAYLOAD_SIZE, offset + 3);
  // TTL field: extended RCODE, version 0, DO bit echoed (RFC 3225 §3), Z zero.
  buf.writeUInt32BE(((extendedRcode & 0xff) << 24) | (dnssecOk ? 0x8000 : 0), offset + 5);
  buf.writeUInt16BE(0, offset + 9);
}

/** The largest response this query can take (RFC 1035 §4.2.1, RFC 6891 §6.2.5). */
export function sizeLimit(query: ParsedQuery, tcp: boolean): number {
  if (tcp) return TCP_MAX;
  if (!query.edns) return 512;
  return Math.max(512, Math.min(query.edns.udpPayloadSize, OUR_UDP_PAYLOAD_SIZE));
}

/**
 * The full response. When it is too large for the transport, trailing additional RRsets are
 * left out (ARCOUNT lowered, TC=0): additional data is optional, and TC is only for data that
 * is required (RFC 2181 §9). When the answer and authority sections do not fit, or a referral's
 * glue does not (RFC 9471), TC=1 with empty sections, so the client retries over TCP. RCODEs
 * above 15 go in the OPT's extended RCODE (RFC 6891 §6.1.3).
 */
export function assembleResponse(raw: Buffer, query: ParsedQuery, sections: EncodedSections, limit: number): Buffer {
  const buf = Buffer.allocUnsafe(responseLength(query, sections, limit));
  writeResponse(buf, 0, raw, query, sections, limit);
  return buf;
}

/** Header + question + OPT: what every response carries, truncated or not. */
function fixedLength(query: ParsedQuery): number {
  return query.questionEnd + (query.edns ? OPT_LENGTH : 0);
}

/**
 * How many additional records go out within `limit`: all of them (the common case, one
 * comparison), fewer, or -1 when the response must be truncated (TC=1).
 */
function additionalThatFits(query: ParsedQuery, sections: EncodedSections, limit: number): number {
  const room = limit - fixedLength(query);
  if (sections.body.length <= room) return sections.arcount;
  if (sections.additionalStart > room || sections.glueRequired) return -1;
  let kept = sections.arcount;
  while (kept > 0 && sections.additionalEnds[kept - 1] > room) kept--;
  return kept;
}

/** The bytes of `body` sent when `kept` additional records go out (-1: truncated, none). */
function bodyLength(sections: EncodedSections, kept: number): number {
  if (kept === sections.arcount) return sections.body.length;
  if (kept < 0) return 0;
  return kept === 0 ? sections.additionalStart : sections.additionalEnds[kept - 1];
}

function responseLength(query: ParsedQuery, sections: EncodedSections, limit: number): number {
  return fixedLength(query) + bodyLength(sections, additionalThatFits(query, sections, limit));
}

/**
 * Writes the response at buf[at..] and returns its length; when it would need more than `room`
 * bytes, writes nothing and returns 0. The layout is worked out once, here.
 */
export function writeResponse(
  buf: Buffer, at: number, raw: Buffer, query: ParsedQuery, sections: EncodedSections, limit: number, room = buf.length - at,
): number {
  const kept = additionalThatFits(query, sections, limit);
  const truncated = kept < 0;
  const body = bodyLength(sections, kept);
  if (fixedLength(query) + body > room) return 0;
  buf.writeUInt16BE(query.id, at);
  let flags = FLAG_QR | (query.opcode << 11) | (query.flags & (FLAG_RD | FLAG_CD)) | (sections.rcode & 0xf);
  if (sections.aa) flags |= FLAG_AA;
  if (truncated) flags |= FLAG_TC;
  buf.writeUInt16BE(flags, at + 2);
  buf.writeUInt16BE(1, at + 4);
  buf.writeUInt16BE(truncated ? 0 : sections.ancount, at + 6);
  buf.writeUInt16BE(truncated ? 0 : sections.nscount, at + 8);
  buf.writeUInt16BE((truncated ? 0 : kept) + (query.edns ? 1 : 0), at + 10);
  raw.copy(buf, at + 12, 12, query.questionEnd);
  let offset = at + query.questionEnd;
  if (body > 0) offset += sections.body.copy(buf, offset, 0, body);
  if (query.edns) writeOpt(buf, offset, sections.rcode >> 4, query.edns.dnssecOk);
  return offset - at + (query.edns ? OPT_LENGTH : 0);
}

/**
 * A reply carrying only a header, the question when we could read it, and our OPT when the
 * query carried a well-formed one: FORMERR, NOTIMP... (RFC 6891 §7: a responder includes an OPT
 * in its response to a request that had one, whatever the RCODE).
 */
export function headerOnlyResponse(
  raw: Buffer, id: number, queryFlags: number, rcode: number, questionEnd?: number, edns?: ParsedQuery["edns"],
): Buffer {
  const question = questionEnd ? raw.subarray(12, questionEnd) : Buffer.alloc(0);
  const buf = Buffer.alloc(12 + question.length + (edns ? OPT_LENGTH : 0));
  buf.writeUInt16BE(id, 0);
  buf.writeUInt16BE(FLAG_QR | (queryFlags & (0x7800 | FLAG_RD | FLAG_CD)) | (rcode & 0xf), 2);
  buf.writeUInt16BE(question.length ? 1 : 0, 4);
  question.copy(buf, 12);
  if (edns) {
    buf.writeUInt16BE(1, 10);
    writeOpt(buf, 12 + question.length, rcode >> 4, edns.dnssecOk);
  }
  return buf;
}
