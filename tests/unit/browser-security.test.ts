// The panel's security headers and early refusals (lib/http/browser-security.ts); the browser
// tests check the headers on real responses and that pages still run under the policy.
import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, MAX_BODY_BYTES, newNonce, refuseRequest, securityHeaders } from "../../lib/http/browser-security.ts";
import { likeLiteral, likePattern } from "../../lib/db/like.ts";

describe("security headers", () => {
  it("a fresh nonce per response, scripts only with it, no framing", () => {
    const a = newNonce();
    expect(a).not.toBe(newNonce());
    const csp = contentSecurityPolicy(a);
    expect(csp).toContain(`script-src 'self' 'nonce-${a}' 'strict-dynamic'`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(contentSecurityPolicy(a, { dev: true })).toContain("'unsafe-eval'");
  });

  it("nosniff, referrer policy, and HSTS only over https", () => {
    const plain = securityHeaders("x", false);
    expect(plain).toMatchObject({ "X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin", "X-Frame-Options": "DENY" });
    expect(plain["Strict-Transport-Security"]).toBeUndefined();
    expect(securityHeaders("x", true)["Strict-Transport-Security"]).toMatch(/^max-age=\d+/);
  });
});

describe("requests refused before Next", () => {
  it("an oversized body: 413", () => {
    expect(refuseRequest({ method: "POST", headers: { "content-length": String(MAX_BODY_BYTES + 1) } })?.status).toBe(413);
    expect(refuseRequest({ method: "POST", headers: { "content-length": "100" } })).toBeNull();
  });

  it("a state-changing request from another origin: 403; same origin, no Origin, or a read: on to Next", () => {
    expect(refuseRequest({ method: "POST", headers: { host: "panel.test:3000", origin: "https://evil.test" } })?.status).toBe(403);
    expect(refuseRequest({ method: "POST", headers: { host: "panel.test:3000", origin: "null" } })?.status).toBe(403);
    expect(refuseRequest({ method: "POST", headers: { host: "panel.test:3000", origin: "http://panel.test:3000" } })).toBeNull();
    expect(refuseRequest({ method: "POST", headers: { host: "panel.test:3000" } })).toBeNull();
    expect(refuseRequest({ method: "GET", headers: { host: "panel.test:3000", origin: "https://evil.test" } })).toBeNull();
  });
});

describe("search text in LIKE", () => {
  it("wildcards match themselves and a NUL byte matches nothing (and cannot reach PostgreSQL)", () => {
    expect(likePattern("a_b%c\\")).toBe("%a\\_b\\%c\\\\%");
    expect(likeLiteral("x\0y")).toBe("x\uFFFFy");
    expect(likeLiteral("x\0y")).not.toContain("\0");
  });
});
