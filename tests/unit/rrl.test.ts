// Response rate limiting (nameserver/rrl.ts): flows by client prefix and response class, the
// token bucket and its window, slip, and the answer path's use of it (answerUdpQueryInto).
import { describe, expect, it } from "vitest";
import { rrlSettings } from "../../lib/config.ts";
import { AnswerCache } from "../../nameserver/answer-cache.ts";
import { answerUdpQueryInto } from "../../nameserver/answer-query.ts";
import {
  classification, classifyAnswer, PEER_WORDS, ResponseRateLimiter, RRL_ANSWER, RRL_DROP, RRL_ERROR, RRL_NXDOMAIN, RRL_SEND, RRL_SLIP,
  rrlEnabled, writePeerWords, type RrlConfig,
} from "../../nameserver/rrl.ts";
import { ZoneIndex } from "../../nameserver/zone-index.ts";
import { ZoneSet } from "../../nameserver/zone-set.ts";
import { buildQuery, decodeReply } from "../helpers/dns-client.ts";

const env = (vars: Record<string, string> = {}) => vars as unknown as NodeJS.ProcessEnv;
const config = (over: Partial<RrlConfig> = {}): RrlConfig => ({ ...rrlSettings(env()), tableSize: 4096, ...over });
const peer = (address: string) => {
  const words = new Uint32Array(PEER_WORDS);
  writePeerWords(address, words);
  return words;
};
/** `n` responses of `cls` to `address` at the limiter's current time: the verdicts, counted. */
function send(rrl: ResponseRateLimiter, address: string, cls: number, n: number) {
  const p = peer(address);
  const counts = { send: 0, slip: 0, drop: 0 };
  for (let i = 0; i < n; i++) {
    const v = rrl.check(p, 0, cls);
    if (v === RRL_SEND) counts.send++;
    else if (v === RRL_SLIP) counts.slip++;
    else counts.drop++;
  }
  return counts;
}
const www = classification(RRL_ANSWER, "www.example.test", 1);

describe("the rate limiter", () => {
  it("lets a flow send its rate per second as a burst, then slips every second limited response and drops the rest", () => {
    const rrl = new ResponseRateLimiter(config({ responsesPerSecond: 10, slip: 2 }));
    expect(send(rrl, "192.0.2.1", www, 10)).toEqual({ send: 10, slip: 0, drop: 0 });
    expect(send(rrl, "192.0.2.1", www, 10)).toEqual({ send: 0, slip: 5, drop: 5 });
    expect({ limited: rrl.limited, slipped: rrl.slipped, dropped: rrl.dropped }).toEqual({ limited: 10, slipped: 5, dropped: 5 });
  });

  it("earns the rate back over time, up to one second's worth", () => {
    const rrl = new ResponseRateLimiter(config({ responsesPerSecond: 10, windowSeconds: 1 }));
    send(rrl, "192.0.2.1", www, 10);
    rrl.now += 500; // half a second: 5 more
    expect(send(rrl, "192.0.2.1", www, 10).send).toBe(5);
    rrl.now += 60_000; // a minute idle: still at most a second's worth
    expect(send(rrl, "192.0.2.1", www, 30).send).toBe(10);
  });

  it("keeps a flood limited for up to the window after it stops (its debt)", () => {
    const rrl = new ResponseRateLimiter(config({ responsesPerSecond: 10, windowSeconds: 5 }));
    send(rrl, "192.0.2.1", www, 1000); // deep in debt, floored at -10 x 5
    rrl.now += 3000; // 30 earned: still below zero
    expect(send(rrl, "192.0.2.1", www, 1).send).toBe(0);
    rrl.now += 3000;
    expect(send(rrl, "192.0.2.1", www, 1).send).toBe(1);
  });

  it("counts a client by its /24 (IPv4) or /56 (IPv6), with IPv4-mapped IPv6 as IPv4", () => {
    const rrl = new ResponseRateLimiter(config({ responsesPerSecond: 5 }));
    send(rrl, "198.51.100.1", www, 5);
    expect(send(rrl, "198.51.100.250", www, 1).send).toBe(0); // same /24
    expect(send(rrl, "::ffff:198.51.100.7", www, 1).send).toBe(0); // the same address family and /24
    expect(send(rrl, "198.51.101.1", www, 1).send).toBe(1); // another /24
    send(rrl, "2001:db8:0:100::1", www, 5);
    expect(send(rrl, "2001:db8:0:1ff:ffff::9", www, 1).send).toBe(0); // same /56
    expect(send(rrl, "2001:db8:0:200::1", www, 1).send).toBe(1); // another /56
  });

  it("keeps flows of different names, types and classes apart, and NXDOMAIN per zone", () => {
    const rrl = new ResponseRateLimiter(config({ responsesPerSecond: 5 }));
    send(rrl, "192.0.2.1", www, 5);
    expect(send(rrl, "192.0.2.1", classification(RRL_ANSWER, "www.example.test", 28), 1).send).toBe(1);
    expect(send(rrl, "192.0.2.1", classification(RRL_ANSWER, "mail.example.test", 1), 1).send).toBe(1);
    // Random names in one zone: one NXDOMAIN flow.
    const nx = (name: string) => classifyAnswer("nxdomain", name, 1, "example.test", undefined, false);
    expect(nx("a1.example.test")).toBe(nx("zz9.example.test"));
    expect(nx("a1.example.test")).not.toBe(classifyAnswer("nxdomain", "a1.other.test", 1, "other.test", undefined, false));
    // Wildcard answers, too, are per zone; plain answers per name and type.
    expect(classifyAnswer("answer", "x.w.example.test", 1, "example.test", undefined, true))
      .toBe(classifyAnswer("answer", "y.w.example.test", 1, "example.test", undefined, true));
    expect(classifyAnswer("answer", "x.example.test", 1, "example.test", undefined, false))
      .not.toBe(classifyAnswer("answer", "y.example.test", 1, "example.test", undefined, false));
    expect(classifyAnswer("refused", "x.invalid", 1, undefined, undefined, false)).toBe(RRL_ERROR);
  });

  it("slip 0 drops every limited response, slip 1 truncates every one; a rate of 0 does not limit that class", () => {
    const dropAll = new ResponseRateLimiter(config({ responsesPerSecond: 1, slip: 0 }));
    expect(send(dropAll, "192.0.2.1", www, 11)).toEqual({ send: 1, slip: 0, drop: 10 });
    const slipAll = new ResponseRateLimiter(config({ responsesPerSecond: 1, slip: 1 }));
    expect(send(slipAll, "192.0.2.1", www, 11)).toEqual({ send: 1, slip: 10, drop: 0 });
    const noNx = new ResponseRateLimiter(config({ responsesPerSecond: 1, nxdomainsPerSecond: 0 }));
    expect(send(noNx, "192.0.2.1", classification(RRL_NXDOMAIN, "example.test"), 1000).send).toBe(1000);
  });

  it("is on by default with NSD's limits, and off when every rate is 0", () => {
    expect(rrlSettings(env())).toMatchObject({ responsesPerSecond: 200, slip: 2, ipv4PrefixLength: 24, ipv6PrefixLength: 56, windowSeconds: 15 });
    expect(rrlEnabled(rrlSettings(env()))).toBe(true);
    expect(rrlEnabled(rrlSettings(env({ DNS_RRL_RESPONSES_PER_SECOND: "0" })))).toBe(false);
    expect(rrlSettings(env({ DNS_RRL_RESPONSES_PER_SECOND: "50" })).nxdomainsPerSecond).toBe(50);
    expect(rrlSettings(env({ DNS_RRL_SLIP: "99", DNS_RRL_IPV4_PREFIX: "40" }))).toMatchObject({ slip: 10, ipv4PrefixLength: 32 });
  });
});

describe("client addresses as words", () => {
  it("reads IPv4, IPv6 (compressed, with an IPv4 tail, with a zone) and IPv4-mapped addresses", () => {
    expect([...peer("192.0.2.1")]).toEqual([4, 0xc0000201, 0, 0, 0]);
    expect([...peer("2001:db8::1")]).toEqual([6, 0x20010db8, 0, 0, 1]);
    expect([...peer("::")]).toEqual([6, 0, 0, 0, 0]);
    expect([...peer("fe80::1%eth0")]).toEqual([6, 0xfe800000, 0, 0, 1]);
    expect([...peer("64:ff9b::192.0.2.1")]).toEqual([6, 0x0064ff9b, 0, 0, 0xc0000201]);
    expect([...peer("::ffff:192.0.2.1")]).toEqual([4, 0xc0000201, 0, 0, 0]);
    expect(peer("not an address")[0]).toBe(0);
    expect(peer("1:2:3:4:5:6:7:8:9")[0]).toBe(0);
  });
});

describe("answerUdpQueryInto with a rate limiter", () => {
  const soa = { name: "example.test", serial: 1, soaTtl: 3600, primaryNs: "ns1.example.net", hostmaster: "h.example.net", refresh: 1, retry: 1, expire: 1, minimum: 300 };
  const zones = new ZoneSet();
  zones.put("z", new ZoneIndex(soa, [
    { name: "www.example.test", type: "A", ttl: 300, content: "192.0.2.1" },
    { name: "*.w.example.test", type: "A", ttl: 300, content: "192.0.2.2" },
    ...Array.from({ length: 20 }, (_, i) => ({ name: "big.example.test", type: "TXT", ttl: 300, content: `${i} ${"x".repeat(40)}` })),
  ]));
  const responder = { zones, cache: new AnswerCache(zones) };
  const out = Buffer.alloc(4096);

  it("answers until the flow's rate, then sends truncated replies (TC=1, no records, small) or nothing", () => {
    const rrl = new ResponseRateLimiter(config({ responsesPerSecond: 3, slip: 2 }));
    const p = peer("203.0.113.9");
    const query = buildQuery("big.example.test", "TXT", { edns: { udpPayloadSize: 4096 } });
    const lengths = Array.from({ length: 9 }, () => answerUdpQueryInto(query, responder, out, 0, out.length, rrl, p, 0));
    expect(lengths.slice(0, 3).every((l) => l > 900)).toBe(true);
    // Limited responses alternate drop, slip (slip 2): the 9th query's reply, still in `out`, is a slip.
    expect(lengths.slice(3).map((l) => l > 0)).toEqual([false, true, false, true, false, true]);
    const reply = decodeReply(Buffer.from(out.subarray(0, lengths[8])));
    expect(reply).toMatchObject({ tc: true, answers: [], authorities: [], rcode: "NOERROR" });
    expect(reply.questions[0]).toMatchObject({ name: "big.example.test", type: "TXT" });
    expect(lengths[8]).toBeLessThanOrEqual(query.length); // no amplification at all
    // Another client, and this client asking another name, are unaffected.
    expect(answerUdpQueryInto(query, responder, out, 0, out.length, rrl, peer("198.51.100.1"), 0)).toBeGreaterThan(900);
    expect(answerUdpQueryInto(buildQuery("www.example.test", "A"), responder, out, 0, out.length, rrl, p, 0)).toBeGreaterThan(0);
  });

  it("counts random names under a wildcard, and random NXDOMAINs, as one flow of the zone each", () => {
    const rrl = new ResponseRateLimiter(config({ responsesPerSecond: 3, nxdomainsPerSecond: 3, slip: 0 }));
    const p = peer("203.0.113.9");
    const ask = (name: string) => answerUdpQueryInto(buildQuery(name, "A"), responder, out, 0, out.length, rrl, p, 0);
    expect(Array.from({ length: 6 }, (_, i) => ask(`r${i}.w.example.test`) > 0)).toEqual([true, true, true, false, false, false]);
    expect(Array.from({ length: 6 }, (_, i) => ask(`nx${i}.example.test`) > 0)).toEqual([true, true, true, false, false, false]);
    expect(ask("www.example.test")).toBeGreaterThan(0); // its own flow
  });

  it("limits errors (REFUSED, FORMERR) per client, whatever the name", () => {
    const rrl = new ResponseRateLimiter(config({ errorsPerSecond: 2, slip: 0 }));
    const p = peer("203.0.113.9");
    const ask = (msg: Buffer) => answerUdpQueryInto(msg, responder, out, 0, out.length, rrl, p, 0);
    expect(ask(buildQuery("a.invalid", "A"))).toBeGreaterThan(0);
    expect(ask(buildQuery("b.invalid", "A"))).toBeGreaterThan(0);
    expect(ask(buildQuery("c.invalid", "A"))).toBe(0);
    const formerr = buildQuery("www.example.test", "A");
    formerr.writeUInt16BE(2, 4); // two questions
    expect(ask(formerr)).toBe(0);
    expect(rrl.dropped).toBe(2);
  });
});
