// What the fuzzer sends: valid queries built straight on the wire, and structured mutations of
// them (truncations, bit flips, bad label lengths, compression-pointer loops, huge counts,
// mutated OPT records and EDNS options, ...), all drawn from one seeded PRNG so that a run is
// reproduced exactly by its seed. Shared by `npm run fuzz` and the bounded round in the tests.
//
// The queries are built by hand, not with dns-packet's encoder: the encoder refuses or
// normalises most of what we want to send (label lengths, counts that lie, names longer than
// 255 octets), and building a few bytes by hand is also far cheaper per packet.

/** A small, fast, seedable PRNG (sfc32): Math.random cannot be seeded, and runs must replay. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    // splitmix32 spreads a small integer seed over the 128 bits of state.
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.u32() / 0x1_0000_0000) * n);
  }

  /** true with probability p. */
  chance(p: number): boolean {
    return this.u32() / 0x1_0000_0000 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  bytes(n: number): Buffer {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) b[i] = this.u32() & 0xff;
    return b;
  }
}

/** What the server holds, so that valid queries hit real data (answers, referrals, NXDOMAIN...). */
export interface FuzzZone {
  /** The zone's apex, e.g. "fuzz.example". */
  apex: string;
  /** Owner names inside it (absolute, no trailing dot). */
  names: string[];
}

export const TYPES = {
  A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, OPT: 41, DS: 43,
  IXFR: 251, AXFR: 252, ANY: 255, CAA: 257,
} as const;
const COMMON_QTYPES = [TYPES.A, TYPES.AAAA, TYPES.MX, TYPES.TXT, TYPES.NS, TYPES.SOA, TYPES.CNAME, TYPES.SRV, TYPES.CAA, TYPES.PTR, TYPES.DS];
const ODD_QTYPES = [TYPES.ANY, TYPES.AXFR, TYPES.IXFR, TYPES.OPT, 0, 65535, 128, 249, 250];
const CLASSES = [1, 1, 1, 1, 1, 1, 1, 1, 3, 4, 254, 255, 0, 65535];

// EDNS option codes worth sending (RFC 6891, 7871 ECS, 7873 cookie, 7830 padding, 5001 NSID,
// 7828 keepalive, 8914 extended error) and what a well-formed value of each looks like.
const EDNS_OPTIONS: { code: number; data: (r: Random) => Buffer }[] = [
  { code: 3, data: () => Buffer.alloc(0) }, // NSID request
  { code: 10, data: (r) => r.bytes(8) }, // client cookie
  { code: 10, data: (r) => r.bytes(8 + 8 + r.int(25)) }, // client + server cookie
  { code: 12, data: (r) => Buffer.alloc(r.int(200)) }, // padding
  { code: 11, data: (r) => Buffer.from([0, r.int(256)]) }, // tcp keepalive
  { code: 8, data: (r) => Buffer.from([0, 1, 24, 0, 192, 0, 2]) }, // ECS 192.0.2.0/24
  { code: 8, data: (r) => Buffer.concat([Buffer.from([0, 2, 56, 0]), r.bytes(7)]) }, // ECS IPv6 /56
  { code: 15, data: (r) => r.bytes(2 + r.int(20)) },
];

/** A name as wire labels; `labels` are raw octets (a label may hold anything, even a dot). */
export function encodeName(labels: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [];
  for (const label of labels) {
    const b = typeof label === "string" ? Buffer.from(label, "latin1") : label;
    parts.push(Buffer.from([b.length]), b);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

const labelsOf = (name: string) => (name === "" || name === "." ? [] : name.split("."));

/** 0x20 mixed case (resolvers do it; the server must echo the question as sent). */
function mixCase(r: Random, name: string): string {
  if (!r.chance(0.3)) return name;
  let out = "";
  for (const c of name) out += r.chance(0.5) ? c.toUpperCase() : c;
  return out;
}

function header(id: number, flags: number, qd: number, an: number, ns: number, ar: number): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(id, 0);
  h.writeUInt16BE(flags, 2);
  h.writeUInt16BE(qd, 4);
  h.writeUInt16BE(an, 6);
  h.writeUInt16BE(ns, 8);
  h.writeUInt16BE(ar, 10);
  return h;
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n & 0xffff);
  return b;
}

/** An OPT pseudo-record (RFC 6891 §6.1.2) with the given owner and fields. */
export function optRecord(opts: { payload?: number; extRcode?: number; version?: number; dnssecOk?: boolean; options?: { code: number; data: Buffer }[]; owner?: Buffer } = {}): Buffer {
  const rdata = Buffer.concat((opts.options ?? []).flatMap((o) => [u16(o.code), u16(o.data.length), o.data]));
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(TYPES.OPT, 0);
  fixed.writeUInt16BE(opts.payload ?? 1232, 2);
  fixed[4] = opts.extRcode ?? 0;
  fixed[5] = opts.version ?? 0;
  fixed.writeUInt16BE(opts.dnssecOk ? 0x8000 : 0, 6);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([opts.owner ?? Buffer.from([0]), fixed, rdata]);
}

function randomOpt(r: Random): Buffer {
  const options = Array.from({ length: r.chance(0.5) ? 0 : 1 + r.int(3) }, () => {
    const o = r.pick(EDNS_OPTIONS);
    return { code: o.code, data: o.data(r) };
  });
  return optRecord({
    payload: r.pick([1232, 1232, 4096, 512, 0, 1, 511, 1400, 65535, r.int(65536)]),
    version: r.chance(0.9) ? 0 : r.pick([1, 2, 255]),
    dnssecOk: r.chance(0.3),
    extRcode: r.chance(0.95) ? 0 : r.int(256),
    options,
  });
}

/** A query name: mostly names the server holds (or below them), sometimes outside every zone. */
function queryName(r: Random, zones: FuzzZone[]): string {
  const zone = r.pick(zones);
  switch (r.int(8)) {
    case 0: return zone.apex;
    case 1: return `${r.bytes(4).toString("hex")}.${zone.apex}`; // NXDOMAIN
    case 2: return `${r.bytes(3).toString("hex")}.${r.pick(zone.names)}`; // below a name: wildcard, cut, NXDOMAIN
    case 3: return r.pick(["example.invalid", "com", "", "a.b.c.d.e.f.g", zone.apex.split(".").slice(1).join(".")]); // refused, root, parent
    default: return r.pick(zone.names);
  }
}

export interface ValidQuery {
  bytes: Buffer;
  /** Offset of the question name, and where the question (name + type + class) ends. */
  qnameAt: number;
  questionEnd: number;
  /** Offset of the OPT record, or -1. */
  optAt: number;
}

/** A well-formed query, random in every field a real client might vary. */
export function validQuery(r: Random, zones: FuzzZone[]): ValidQuery {
  const name = mixCase(r, queryName(r, zones));
  const qtype = r.chance(0.9) ? r.pick(COMMON_QTYPES) : r.pick(ODD_QTYPES);
  const qclass = r.pick(CLASSES);
  const withOpt = r.chance(0.7);
  // RD, CD and AD as clients set them; opcode QUERY.
  const flags = (r.chance(0.5) ? 0x0100 : 0) | (r.chance(0.1) ? 0x0010 : 0) | (r.chance(0.1) ? 0x0020 : 0);
  const question = Buffer.concat([encodeName(labelsOf(name)), u16(qtype), u16(qclass)]);
  const opt = withOpt ? randomOpt(r) : Buffer.alloc(0);
  const bytes = Buffer.concat([header(r.int(65536), flags, 1, 0, 0, withOpt ? 1 : 0), question, opt]);
  return { bytes, qnameAt: 12, questionEnd: 12 + question.length, optAt: withOpt ? 12 + question.length : -1 };
}

/** A random resource record (valid framing, random content), for sections a query should not have. */
function randomRecord(r: Random, zones: FuzzZone[]): Buffer {
  const rdata = r.bytes(r.int(40));
  const owner = r.chance(0.5) ? encodeName(labelsOf(queryName(r, zones))) : Buffer.from([0xc0, 12]); // pointer to the qname
  return Buffer.concat([owner, u16(r.pick([...COMMON_QTYPES, TYPES.OPT, r.int(65536)])), u16(r.pick(CLASSES)), r.bytes(4), u16(rdata.length), rdata]);
}

export type MutationKind =
  | "valid" | "random" | "truncate" | "bitflip" | "byteset" | "label-length" | "pointer-loop" | "counts"
  | "opt" | "header" | "extra-records" | "trailing" | "splice";

// Relative weights: mostly structured mutations of valid queries (they reach deep into the
// parser), some plain valid queries (they exercise lookup, the cache and the encoder under the
// same load) and some pure noise.
const WEIGHTS: [MutationKind, number][] = [
  ["valid", 10], ["random", 8], ["truncate", 8], ["bitflip", 14], ["byteset", 6], ["label-length", 10],
  ["pointer-loop", 8], ["counts", 8], ["opt", 12], ["header", 6], ["extra-records", 5], ["trailing", 3], ["splice", 2],
];
const WEIGHT_TOTAL = WEIGHTS.reduce((n, [, w]) => n + w, 0);
export const MUTATION_KINDS = WEIGHTS.map(([k]) => k);

function pickKind(r: Random): MutationKind {
  let x = r.int(WEIGHT_TOTAL);
  for (const [kind, w] of WEIGHTS) {
    if (x < w) return kind;
    x -= w;
  }
  return "valid";
}

const INTERESTING_BYTES = [0x00, 0xff, 0xc0, 0xc1, 0x3f, 0x40, 0x80, 0x7f, 0x01, 0x2e];

/** Overwrites a label length octet of the question name with something wrong. */
function badLabelLength(r: Random, q: ValidQuery): Buffer {
  const b = Buffer.from(q.bytes);
  switch (r.int(5)) {
    case 0: {
      // A length octet between 64 and 191 (the reserved 0x40/0x80 label types) or 0xc0+.
      b[q.qnameAt] = 64 + r.int(192);
      return b;
    }
    case 1: {
      // A length running past the end of the packet.
      b[q.qnameAt] = Math.min(63, b.length - q.qnameAt + r.int(10));
      return b;
    }
    case 2: {
      // A name longer than 255 octets: five 63-octet labels.
      const long = encodeName(Array.from({ length: 4 + r.int(3) }, () => "a".repeat(63)));
      return Buffer.concat([b.subarray(0, q.qnameAt), long, b.subarray(q.questionEnd - 4)]);
    }
    case 3: {
      // No terminating root label: the name runs into the type, class and whatever follows.
      const name = b.subarray(q.qnameAt, q.questionEnd - 5);
      return Buffer.concat([b.subarray(0, q.qnameAt), name, b.subarray(q.questionEnd - 4)]);
    }
    default: {
      // Odd octets inside labels: dots, NUL, spaces, high bytes (legal on the wire, match nothing).
      const label = Buffer.from([r.pick([0x2e, 0x00, 0x20, 0xff, 0x5c, 0x41]), ...r.bytes(r.int(5))]);
      return Buffer.concat([b.subarray(0, q.qnameAt), encodeName([label, "fuzz"]).subarray(0, -1), b.subarray(q.qnameAt)]);
    }
  }
}

/** Names that point into themselves or each other (RFC 1035 §4.1.4 pointers, in a loop). */
function pointerLoop(r: Random, q: ValidQuery, zones: FuzzZone[]): Buffer {
  const rest = q.bytes.subarray(q.questionEnd - 4);
  switch (r.int(5)) {
    case 0: // the question name is a pointer to itself
      return Buffer.concat([q.bytes.subarray(0, 12), Buffer.from([0xc0, 12]), rest]);
    case 1: // a label, then a pointer back to the start of the name
      return Buffer.concat([q.bytes.subarray(0, 12), Buffer.from([1, 0x61, 0xc0, 12]), rest]);
    case 2: // a pointer far past the end
      return Buffer.concat([q.bytes.subarray(0, 12), Buffer.from([0xff, 0xff]), rest]);
    case 3: {
      // A record in the additional section whose owner points at itself; ARCOUNT counts it.
      const h = Buffer.from(q.bytes.subarray(0, 12));
      h.writeUInt16BE(h.readUInt16BE(10) + 1, 10);
      const at = q.bytes.length;
      return Buffer.concat([h, q.bytes.subarray(12), Buffer.from([0xc0 | (at >> 8), at & 0xff]), u16(TYPES.A), u16(1), Buffer.alloc(4), u16(0)]);
    }
    default: {
      // An OPT whose owner is a pointer chain (the owner must be the root, RFC 6891 §6.1.2).
      const h = header(r.int(65536), 0, 1, 0, 0, 1);
      const question = Buffer.concat([encodeName(labelsOf(r.pick(zones).apex)), u16(TYPES.A), u16(1)]);
      const at = 12 + question.length;
      return Buffer.concat([h, question, optRecord({ owner: Buffer.from([0xc0 | (at >> 8), at & 0xff]) })]);
    }
  }
}

function lyingCounts(r: Random, q: ValidQuery): Buffer {
  const b = Buffer.from(q.bytes);
  const huge = () => r.pick([0xffff, 0x8000, 0x100, 2, 3, 0]);
  switch (r.int(4)) {
    case 0: b.writeUInt16BE(huge(), 4); break;
    case 1: b.writeUInt16BE(huge(), 6); break;
    case 2: b.writeUInt16BE(huge(), 8); break;
    default: b.writeUInt16BE(huge(), 10);
  }
  if (r.chance(0.3)) for (const at of [4, 6, 8, 10]) b.writeUInt16BE(r.chance(0.5) ? 0xffff : r.int(4), at);
  return b;
}

/** Mutated OPT records and EDNS options. */
function mutatedOpt(r: Random, q: ValidQuery, zones: FuzzZone[]): Buffer {
  const base = q.bytes.subarray(0, q.questionEnd);
  const h = Buffer.from(base.subarray(0, 12));
  const question = base.subarray(12);
  const opt = () => randomOpt(r);
  const withCounts = (an: number, ns: number, ar: number, ...sections: Buffer[]) => {
    h.writeUInt16BE(an, 6);
    h.writeUInt16BE(ns, 8);
    h.writeUInt16BE(ar, 10);
    return Buffer.concat([h, question, ...sections]);
  };
  switch (r.int(9)) {
    case 0: return withCounts(0, 0, 2, opt(), opt()); // two OPT records
    case 1: return withCounts(1, 0, 0, opt()); // OPT in the answer section
    case 2: return withCounts(0, 1, 0, opt()); // OPT in the authority section
    case 3: return withCounts(0, 0, 1, optRecord({ owner: encodeName(labelsOf(r.pick(zones).apex)) })); // non-root owner
    case 4: {
      // RDLENGTH larger or smaller than what follows.
      const o = Buffer.from(opt());
      o.writeUInt16BE(r.pick([0xffff, o.readUInt16BE(9) + 1 + r.int(20), Math.max(0, o.readUInt16BE(9) - 1 - r.int(4))]), 9);
      return withCounts(0, 0, 1, o);
    }
    case 5: {
      // An option whose length runs past the RDATA.
      const data = r.bytes(r.int(12));
      const rdata = Buffer.concat([u16(r.pick([10, 8, 12, r.int(65536)])), u16(data.length + 1 + r.int(300)), data]);
      const o = Buffer.concat([Buffer.from([0]), u16(TYPES.OPT), u16(1232), Buffer.alloc(4), u16(rdata.length), rdata]);
      return withCounts(0, 0, 1, o);
    }
    case 6: {
      // Many options, random codes and contents (well-framed).
      const options = Array.from({ length: 1 + r.int(30) }, () => ({ code: r.int(65536), data: r.bytes(r.int(30)) }));
      return withCounts(0, 0, 1, optRecord({ payload: r.int(65536), version: r.int(256), dnssecOk: r.chance(0.5), extRcode: r.int(256), options }));
    }
    case 7: return withCounts(0, 0, 1, opt().subarray(0, 1 + r.int(10))); // OPT cut short
    default: {
      // An OPT after other additional records, or records after it.
      const rec = randomRecord(r, zones);
      return r.chance(0.5) ? withCounts(0, 0, 2, rec, opt()) : withCounts(0, 0, 2, opt(), rec);
    }
  }
}

function mutatedHeader(r: Random, q: ValidQuery): Buffer {
  const b = Buffer.from(q.bytes);
  let flags = b.readUInt16BE(2);
  switch (r.int(5)) {
    case 0: flags |= 0x8000; break; // a response (must never be answered: loops)
    case 1: flags = (flags & ~0x7800) | (r.pick([1, 2, 3, 4, 5, 6, 15]) << 11); break; // IQUERY, STATUS, NOTIFY, UPDATE, DSO...
    case 2: flags |= r.pick([0x0400, 0x0200, 0x0080, 0x0040]); break; // AA, TC, RA, Z in a query
    case 3: flags = (flags & ~0xf) | r.int(16); break; // an RCODE in a query
    default: flags = r.int(65536);
  }
  b.writeUInt16BE(flags, 2);
  return b;
}

/** One packet to send, and which mutation made it (for the per-kind counts). */
export interface FuzzPacket {
  kind: MutationKind;
  bytes: Buffer;
}

/**
 * The next packet. `maxLength` bounds random and padded packets (UDP datagrams the loopback
 * carries; TCP messages are at most 65535 octets).
 */
export function nextPacket(r: Random, zones: FuzzZone[], maxLength = 1500): FuzzPacket {
  const kind = pickKind(r);
  const q = validQuery(r, zones);
  let bytes: Buffer;
  switch (kind) {
    case "valid": bytes = q.bytes; break;
    case "random": bytes = r.bytes(r.chance(0.7) ? r.int(64) : r.int(maxLength)); break;
    case "truncate": bytes = q.bytes.subarray(0, r.int(q.bytes.length)); break;
    case "bitflip": {
      bytes = Buffer.from(q.bytes);
      for (let i = 1 + r.int(8); i > 0; i--) bytes[r.int(bytes.length)] ^= 1 << r.int(8);
      break;
    }
    case "byteset": {
      bytes = Buffer.from(q.bytes);
      for (let i = 1 + r.int(4); i > 0; i--) bytes[r.int(bytes.length)] = r.pick(INTERESTING_BYTES);
      break;
    }
    case "label-length": bytes = badLabelLength(r, q); break;
    case "pointer-loop": bytes = pointerLoop(r, q, zones); break;
    case "counts": bytes = lyingCounts(r, q); break;
    case "opt": bytes = mutatedOpt(r, q, zones); break;
    case "header": bytes = mutatedHeader(r, q); break;
    case "extra-records": {
      const an = r.int(3), ns = r.int(3), ar = r.int(3);
      const h = Buffer.from(q.bytes.subarray(0, 12));
      h.writeUInt16BE(an, 6);
      h.writeUInt16BE(ns, 8);
      h.writeUInt16BE(ar + (q.optAt >= 0 ? 1 : 0), 10);
      const recs = Array.from({ length: an + ns + ar }, () => randomRecord(r, zones));
      bytes = Buffer.concat([h, q.bytes.subarray(12, q.questionEnd), ...recs, q.optAt >= 0 ? q.bytes.subarray(q.optAt) : Buffer.alloc(0)]);
      break;
    }
    case "trailing": bytes = Buffer.concat([q.bytes, r.bytes(1 + r.int(Math.max(1, maxLength - q.bytes.length)))]); break;
    case "splice": {
      const other = validQuery(r, zones).bytes;
      bytes = Buffer.concat([q.bytes.subarray(0, r.int(q.bytes.length)), other.subarray(r.int(other.length))]);
      break;
    }
  }
  if (bytes.length > maxLength) bytes = bytes.subarray(0, maxLength);
  return { kind, bytes };
}
