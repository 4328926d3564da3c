// The address the sign-in rate limit counts: never one the client could write itself.
import { describe, expect, it } from "vitest";
import { clientAddress } from "../../lib/auth/client-address.ts";

describe("clientAddress", () => {
  it("takes the last entry (written by our panel server from the socket) when no proxy is trusted", () => {
    expect(clientAddress({ "x-forwarded-for": "6.6.6.6, 192.0.2.7" }, 0)).toBe("192.0.2.7");
    expect(clientAddress(new Headers({ "x-forwarded-for": "::ffff:192.0.2.7" }), 0)).toBe("192.0.2.7");
  });

  it("skips the entries appended by trusted proxies", () => {
    expect(clientAddress({ "x-forwarded-for": "6.6.6.6, 203.0.113.5, 10.0.0.2" }, 1)).toBe("203.0.113.5");
  });

  it("is null without the header", () => {
    expect(clientAddress({}, 0)).toBeNull();
  });
});
