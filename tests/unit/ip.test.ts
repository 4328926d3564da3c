// IP syntax without node:net (it also runs in the browser), checked against node:net.
import { isIP as nodeIsIP } from "node:net";
import { describe, expect, it } from "vitest";
import { canonicalIPv6, isIPv4, isIPv6 } from "../../lib/dns/ip.ts";

const SAMPLES = [
  "::", "::1", "1::", "2001:db8::1", "2001:DB8:0:0:0:0:0:1", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::", "::ffff:1.2.3.4",
  "1::2::3", "12345::", "1.2.3.4", "01.2.3.4", "256.1.1.1", "1.2.3", "::1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4",
  ":1::", "1:", "g::1", "", "1.2.3.4.5", "0.0.0.0", "255.255.255.255", " 1.2.3.4",
];

describe("IP syntax", () => {
  it("agrees with node:net on every sample", () => {
    for (const s of SAMPLES) expect(`${s}: ${isIPv4(s) ? 4 : isIPv6(s) ? 6 : 0}`).toBe(`${s}: ${nodeIsIP(s)}`);
  });

  it("refuses IPv6 zone ids, which DNS cannot carry", () => {
    expect(isIPv6("fe80::1%eth0")).toBe(false);
  });

  it("canonicalises IPv6 per RFC 5952", () => {
    expect(canonicalIPv6("2001:DB8:0:0:0:0:0:1")).toBe("2001:db8::1");
    expect(canonicalIPv6("2001:db8:0:0:1:0:0:1")).toBe("2001:db8::1:0:0:1");
  });
});
