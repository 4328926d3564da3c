// Parses the parts of a query that answering needs, straight from the bytes, and refuses
// anything malformed. Hand-written rather than dns-packet's decode because it is on every
// query's path and must never throw on hostile input (RFC 1035 §4.1, RFC 6891 §6.1).

export const OPCODE_QUERY = 0;
export const TYPE_OPT = 41;

export interface ParsedQuery {
  id: number;
  flags: number;
  opcode: number;
  /** Lowercased, dotted, no trailing dot; odd octets escaped as \DDD so they match nothing. */
  qname: string;
  qtype: number;
  qclass: number;
  /** Byte range of the question section, copied verbatim into the response (keeps 0x20 case). */
  questionEnd: number;
  edns: null | { udpPayloadSize: number; version: number; dnssecOk: boolean };
}

export type Edns = NonNullable<ParsedQuery["edns"]>;

export type ParseOutcome =
  | { ok: true; query: ParsedQuery }
  /**
   * Answer FORMERR or NOTIMP (we could read the header), or drop (we could not, or it was a
   * response). `questionEnd` when the reply can echo the one question; `edns` when the query
   * carried one well-formed OPT, which the reply must then answer with ours (RFC 6891 §7).
   */
  | { ok: false; reply: "formerr" | "notimp" | "drop"; id?: number; flags?: number; opcode?: number; questionEnd?: number; edns?: Edns | null };

const SAFE_LABEL_OCTET = new Uint8Array(256);
for (const c of "abcdefghijklmnopqrstuvwxyz0123456789-_*") SAFE_LABEL_OCTET[c.charCodeAt(0)] = 1;

// Scratch space for the dotted name: a name is at most 254 octets in dotted form.
const NAME_SCRATCH = Buffer.alloc(256);

/**
 * Reads the question name. Fast path: copy the labels, lowercased and joined by dots, into a
 * scratch buffer and decode it once; any octet outside SAFE_LABEL_OCTET (a dot inside a label,
 * a space, non-ASCII...) sends us to readNameEscaped, which spells it \DDD so it matches nothing
 * we store.
 */
function readName(buf: Buffer, start: number): { name: string; end: number } | null {
  // Question names are never compressed (nothing precedes them to point at).
  let offset = start;
  let length = 0; // of the dotted name in NAME_SCRATCH
  let total = 0; // octets on the wire, without the root label
  for (;;) {
    if (offset >= buf.length) return null;
    const len = buf[offset];
    if (len === 0) return { name: NAME_SCRATCH.toString("latin1", 0, length), end: offset + 1 };
    if (len > 63) return null;
    if (offset + 1 + len > buf.length) return null;
    total += len + 1;
    if (total > 254) return null; // 255 octets on the wire with the root label (RFC 1035 §2.3.4)
    if (length > 0) NAME_SCRATCH[length++] = 46; // "."
    for (let i = offset + 1; i <= offset + len; i++) {
      let c = buf[i];
      if (c >= 65 && c <= 90) c += 32;
      else if (SAFE_LABEL_OCTET[c] === 0) return readNameEscaped(buf, start);
      NAME_SCRATCH[length++] = c;
    }
    offset += 1 + len;
  }
}

function readNameEscaped(buf: Buffer, offset: number): { name: string; end: number } | null {
  let name = "";
  let total = 0;
  for (;;) {
    if (offset >= buf.length) return null;
    const len = buf[offset];
    if (len === 0) return { name, end: offset + 1 };
    if (len > 63) return null;
    if (offset + 1 + len > buf.length) return null;
    total += len + 1;
    if (total > 254) return null;
    let label = "";
    for (let i = offset + 1; i <= offset + len; i++) {
      let c = buf[i];
      if (c >= 65 && c <= 90) c += 32;
      label += SAFE_LABEL_OCTET[c] ? String.fromCharCode(c) : `\\${String(c).padStart(3, "0")}`;
    }
    name = name ? `${name}.${label}` : label;
    offset += 1 + len;
  }
}

/** Skips a possibly compressed name in a resource record; returns the offset after it. */
function skipName(buf: Buffer, offset: number): number {
  for (let hops = 0; hops < 128; hops++) {
    if (offset >= buf.length) return -1;
    const len = buf[offset];
    if (len === 0) return offset + 1;
    if ((len & 0xc0) === 0xc0) return offset + 2 <= buf.length ? offset + 2 : -1;
    if (len > 63) return -1;
    offset += 1 + len;
  }
  return -1;
}

/** Skips `count` questions from `offset`; returns the offset after them, or -1. */
function skipQuestions(buf: Buffer, offset: number, count: number): number {
  for (let i = 0; i < count && offset >= 0; i++) {
    offset = skipName(buf, offset);
    offset = offset < 0 || offset + 4 > buf.length ? -1 : offset + 4;
  }
  return offset;
}

/**
 * Finds the OPT pseudo-record among the `count` records from `offset` (RFC 6891 §6.1.1: at most
 * one, in the additional section, owner root). null: none; undefined: malformed.
 */
function readOpt(buf: Buffer, offset: number, count: number, firstAdditional: number): Edns | null | undefined {
  let edns: Edns | null = null;
  for (let i = 0; i < count; i++) {
    const nameStart = offset;
    offset = skipName(buf, offset);
    if (offset < 0 || offset + 10 > buf.length) return undefined;
    const type = buf.readUInt16BE(offset);
    const rdlength = buf.readUInt16BE(offset + 8);
    if (offset + 10 + rdlength > buf.length) return undefined;
    if (type === TYPE_OPT) {
      if (i < firstAdditional || edns || buf[nameStart] !== 0) return undefined;
      const ttl = buf.readUInt32BE(offset + 4);
      edns = { udpPayloadSize: buf.readUInt16BE(offset + 2), version: (ttl >>> 16) & 0xff, dnssecOk: (ttl & 0x8000) !== 0 };
    }
    offset += 10 + rdlength;
  }
  return edns;
}

export function parseQuery(buf: Buffer): ParseOutcome {
  if (buf.length < 12) return { ok: false, reply: "drop" };
  const id = buf.readUInt16BE(0);
  const flags = buf.readUInt16BE(2);
  const opcode = (flags >> 11) & 0xf;
  if (flags & 0x8000) return { ok: false, reply: "drop" }; // a response: never answer it (loops)
  const qdcount = buf.readUInt16BE(4);
  const ancount = buf.readUInt16BE(6);
  const nscount = buf.readUInt16BE(8);
  const arcount = buf.readUInt16BE(10);

  // The question (only the first is read; any others are skipped to reach the OPT).
  const q = qdcount > 0 ? readName(buf, 12) : null;
  const questionEnd = q && q.end + 4 <= buf.length ? q.end + 4 : -1;
  const afterQuestions = qdcount === 0 ? 12 : qdcount === 1 || questionEnd < 0 ? questionEnd : skipQuestions(buf, questionEnd, qdcount - 1);
  const edns = afterQuestions < 0 ? undefined : readOpt(buf, afterQuestions, ancount + nscount + arcount, ancount + nscount);

  // The opcode first: an opcode we do not implement is NOTIMP whatever its sections hold, even
  // with no question (RFC 1035 §4.1.1; RFC 6895 §2.2, e.g. NOTIFY or UPDATE to a server without them).
  const echo = qdcount === 1 && questionEnd > 0 ? questionEnd : undefined;
  if (opcode !== OPCODE_QUERY) return { ok: false, reply: "notimp", id, flags, opcode, questionEnd: echo, edns: edns ?? null };
  if (qdcount !== 1 || questionEnd < 0 || edns === undefined) return { ok: false, reply: "formerr", id, flags, opcode, edns: edns ?? null };
  const qtype = buf.readUInt16BE(q!.end);
  const qclass = buf.readUInt16BE(q!.end + 2);
  return { ok: true, query: { id, flags, opcode, qname: q!.name, qtype, qclass, questionEnd, edns } };
}
