// Session cookies are Secure in production, except for the plain-http localhost demo.
import { describe, expect, it } from "vitest";
import { useSecureCookies } from "../../lib/auth/next-auth.ts";

describe("useSecureCookies", () => {
  it("is on in production behind https, and when the public URL is unknown", () => {
    expect(useSecureCookies({ NODE_ENV: "production", NEXTAUTH_URL: "https://panel.example.com" })).toBe(true);
    expect(useSecureCookies({ NODE_ENV: "production" })).toBe(true);
    expect(useSecureCookies({ NODE_ENV: "production", NEXTAUTH_URL: "http://panel.example.com" })).toBe(true);
  });

  it("is off for the local demo over http and in development", () => {
    expect(useSecureCookies({ NODE_ENV: "production", NEXTAUTH_URL: "http://localhost:3000" })).toBe(false);
    expect(useSecureCookies({ NODE_ENV: "production", NEXTAUTH_URL: "http://127.0.0.1:3000/" })).toBe(false);
    expect(useSecureCookies({ NODE_ENV: "development", NEXTAUTH_URL: "https://panel.example.com" })).toBe(false);
  });
});
