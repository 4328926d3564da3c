// Response rate limiting (RRL), in the manner of BIND's and NSD's: a spoofed-source flood must
// not turn us into an amplifier, while a real resolver, which caches what we say, never notices.
//
// How (docs/decisions/010-rate-limiting-and-tcp-limits.md):
//   - Every UDP response is *classified* like BIND and NSD do: a positive answer counts against
//     its qname and qtype; NXDOMAIN and NODATA against the zone (so a flood of random names
//     is one flow); a referral against the delegation point; an answer synthesised from a
//     wildcard against the zone's wildcard (random names again); errors (REFUSED, FORMERR,
//     NOTIMP, BADVERS...) against nothing but the client.
//   - A *flow* is (client prefix, class, name): the client's address cut to /24 (IPv4) or /56
//     (IPv6) by default, since a spoofer picks addresses inside its victim's network at will.
//   - Each flow has a token bucket (BIND's accounting): it earns `rate` responses a second, holds
//     at most one second's worth (the burst), pays one per response, and may fall `window`
//     seconds into debt, so a flood stays limited until it has stopped for a while.
//   - A response that finds its bucket empty is *limited*: every `slip`-th one goes out
//     truncated (TC=1, no records, as small as the query), so a real client whose address is
//     being spoofed retries over TCP (which cannot be spoofed) and is answered there; the others
//     are dropped (RFC 1035 §4.2.1: a client must expect UDP loss anyway).
//
// The hot path: the class and the hash of its name are computed once per cached answer
// (answer-query.ts keeps them on the cached sections), the client address arrives as five
// integers from the batched UDP addon (family + four 32-bit words, no string), and the table is
// one flat ArrayBuffer of 16-byte buckets found by hashing: no allocation, no Map, one cache line
// per query. Counters are plain integers, read by metrics.ts at scrape time.
//
// Table collisions: a bucket belongs to the flow whose check word it holds; another flow that
// hashes there takes it over with a fresh bucket. With a million buckets and a random seed per
// process this is rare and cannot be aimed at; the worst it does is let a flow through for a
// moment, as NSD's and BIND's tables also do when they are full.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { RrlSettings } from "../lib/config.ts";

/** Response classes (the low 3 bits of a classification). */
export const RRL_ANSWER = 0;
export const RRL_NXDOMAIN = 1;
export const RRL_NODATA = 2;
export const RRL_REFERRAL = 3;
export const RRL_ERROR = 4;
export const RRL_WILDCARD = 5;
const CLASSES = 6;

/** What to do with a response. */
export const RRL_SEND = 0;
export const RRL_SLIP = 1;
export const RRL_DROP = 2;
export type RrlVerdict = typeof RRL_SEND | typeof RRL_SLIP | typeof RRL_DROP;

/** 32-bit words per client address: family (4, 6; 0 unknown) + 128 bits (IPv4 in the first word). */
export const PEER_WORDS = 5;

/** DNS_RRL_* (lib/config.ts rrlSettings: the defaults and their reasons). */
export type RrlConfig = RrlSettings;

/** Whether any class is limited at all (all rates 0: RRL is off and costs nothing). */
export function rrlEnabled(config: RrlConfig): boolean {
  return config.responsesPerSecond > 0 || config.nxdomainsPerSecond > 0 || config.nodataPerSecond > 0
    || config.referralsPerSecond > 0 || config.errorsPerSecond > 0;
}

/** A 29-bit FNV-1a hash of a name, for classifications (computed once per cached answer). */
export function nameHash(name: string, extra = 0): number {
  let h = 0x811c9dc5 ^ extra;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 15)) >>> 3;
}

/** A classification: the class in the low 3 bits, the hash of the flow's name above them. */
export function classification(rrlClass: number, name = "", qtype = 0): number {
  return rrlClass === RRL_ERROR ? RRL_ERROR : ((nameHash(name, qtype) << 3) | rrlClass) >>> 0;
}

/** The mask keeping the first `bits` bits of the 32-bit word `word` (0..3) of an address. */
function prefixMask(bits: number, word: number): number {
  const keep = Math.max(0, Math.min(32, bits - 32 * word));
  return keep === 0 ? 0 : keep === 32 ? 0xffffffff | 0 : (0xffffffff << (32 - keep)) | 0;
}

function mix(h: number, k: number): number {
  // One murmur3 round.
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

export class ResponseRateLimiter {
  /** Responses over their flow's rate (= slipped + dropped). */
  limited = 0;
  /** Limited responses sent truncated (TC=1). */
  slipped = 0;
  /** Limited responses not sent. */
  dropped = 0;

  /** Milliseconds since the limiter started; set by tick(), once per batch of datagrams. */
  now = 0;
  private readonly epoch = performance.now();
  private readonly seed: number;
  private readonly mask: number;
  // Bucket b: ints[4b] check word (odd; 0 = empty), ints[4b+1] last update (ms), floats[4b+2]
  // balance (responses it may still send, negative in debt), ints[4b+3] limited responses so far.
  private readonly ints: Int32Array;
  private readonly floats: Float32Array;
  private readonly rates: Float64Array;
  private readonly floors: Float64Array;
  private readonly v4: Int32Array;
  private readonly v6: Int32Array;
  private readonly slip: number;

  constructor(readonly config: RrlConfig) {
    let size = 1024;
    while (size < config.tableSize && size < 1 << 22) size *= 2; // at most 4M buckets, 64 MiB
    this.mask = size - 1;
    const table = new ArrayBuffer(size * 16);
    this.ints = new Int32Array(table);
    this.floats = new Float32Array(table);
    this.seed = randomBytes(4).readInt32LE(0);
    // Wildcard answers are positive answers (their rate), counted per zone rather than per name.
    const rates = [config.responsesPerSecond, config.nxdomainsPerSecond, config.nodataPerSecond, config.referralsPerSecond, config.errorsPerSecond, config.responsesPerSecond];
    this.rates = Float64Array.from({ length: CLASSES }, (_, c) => Math.max(0, rates[c]));
    this.floors = this.rates.map((r) => -r * Math.max(1, config.windowSeconds));
    this.v4 = Int32Array.from([0, 1, 2, 3], (w) => prefixMask(config.ipv4PrefixLength, w));
    this.v6 = Int32Array.from([0, 1, 2, 3], (w) => prefixMask(config.ipv6PrefixLength, w));
    this.slip = Math.max(0, Math.floor(config.slip));
  }

  /** Reads the clock: once per batch of datagrams (or per datagram on the node:dgram path). */
  tick(): void {
    this.now = (performance.now() - this.epoch) | 0;
  }

  /**
   * Accounts one response of `classification` to the client at peer[at..at+5) (family + four
   * address words) and says whether to send it, send it truncated, or drop it.
   */
  check(peer: Uint32Array, at: number, classification: number): RrlVerdict {
    const cls = classification & 7;
    const rate = this.rates[cls];
    if (rate === 0) return RRL_SEND;
    const family = peer[at];
    const m = family === 6 ? this.v6 : this.v4;
    let h = mix(this.seed ^ family, peer[at + 1] & m[0]);
    h = mix(h, peer[at + 2] & m[1]);
    if (family === 6) {
      h = mix(h, peer[at + 3] & m[2]);
      h = mix(h, peer[at + 4] & m[3]);
    }
    h = mix(h, classification);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    const b = (h & this.mask) << 2;
    // Independent of the index bits (a bijection of h), so flows sharing a bucket are told apart.
    const check = (Math.imul(h ^ (h >>> 16), 0xc2b2ae35) | 1);
    const ints = this.ints;
    const now = this.now;
    if (ints[b] !== check) {
      // A new flow (or one that lost its bucket): a full second's worth, minus this response.
      ints[b] = check;
      ints[b + 1] = now;
      this.floats[b + 2] = rate - 1;
      ints[b + 3] = 0;
      return RRL_SEND;
    }
    const elapsed = (now - ints[b + 1]) | 0;
    let balance = this.floats[b + 2];
    if (elapsed > 0) {
      balance += (elapsed * rate) / 1000;
      if (balance > rate) balance = rate;
      ints[b + 1] = now;
    } else if (elapsed < 0) {
      balance = rate; // the clock wrapped (24 days): start over
      ints[b + 1] = now;
    }
    balance -= 1;
    const floor = this.floors[cls];
    if (balance < floor) balance = floor;
    this.floats[b + 2] = balance;
    if (balance >= 0) return RRL_SEND;
    this.limited++;
    const n = (ints[b + 3] = (ints[b + 3] + 1) | 0);
    if (this.slip > 0 && n % this.slip === 0) {
      this.slipped++;
      return RRL_SLIP;
    }
    this.dropped++;
    return RRL_DROP;
  }
}

/**
 * Writes the address `address` (IPv4 or IPv6 text, as node:dgram and node:net give it) into
 * out[at..at+5) in the addon's layout. For the node:dgram path and TCP bookkeeping, not per
 * batched datagram. An unreadable address is family 0.
 */
export function writePeerWords(address: string, out: Uint32Array, at = 0): void {
  out[at] = 0;
  out[at + 1] = out[at + 2] = out[at + 3] = out[at + 4] = 0;
  const v4 = ipv4Word(address);
  if (v4 !== null) {
    out[at] = 4;
    out[at + 1] = v4;
    return;
  }
  const words = ipv6Words(address);
  if (!words) return;
  // IPv4-mapped (::ffff:a.b.c.d): the IPv4 address it is, as the addon reports it.
  if (words[0] === 0 && words[1] === 0 && words[2] === 0xffff) {
    out[at] = 4;
    out[at + 1] = words[3];
    return;
  }
  out[at] = 6;
  for (let k = 0; k < 4; k++) out[at + 1 + k] = words[k];
}

function ipv4Word(text: string): number | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let word = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    word = word * 256 + Number(p);
  }
  return word;
}

function ipv6Words(text: string): number[] | null {
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups = (s: string): number[] | null => {
    if (s === "") return [];
    const out: number[] = [];
    for (const g of s.split(":")) {
      if (g.includes(".")) {
        const w = ipv4Word(g);
        if (w === null) return null;
        out.push(w >>> 16, w & 0xffff);
      } else if (/^[0-9a-f]{1,4}$/i.test(g)) out.push(parseInt(g, 16));
      else return null;
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return [0, 1, 2, 3].map((k) => ((all[2 * k] << 16) | all[2 * k + 1]) >>> 0);
}

/**
 * The classification of an answer from the lookup's verdict (BIND's and NSD's classes):
 * positive answers by qname and qtype, wildcard answers by the zone, NXDOMAIN and NODATA by the
 * zone, referrals by the delegation point, anything else (REFUSED...) as an error.
 */
export function classifyAnswer(
  verdict: string, qname: string, qtype: number, zoneName: string | undefined, delegation: string | undefined, wildcard: boolean,
): number {
  switch (verdict) {
    case "answer":
    case "cname":
      return wildcard ? classification(RRL_WILDCARD, zoneName) : classification(RRL_ANSWER, qname, qtype);
    case "nxdomain":
      return classification(RRL_NXDOMAIN, zoneName);
    case "nodata":
      return classification(RRL_NODATA, zoneName);
    case "referral":
      return classification(RRL_REFERRAL, delegation);
    default:
      return RRL_ERROR;
  }
}
