// Browser security of the panel: every response carries the security headers, the pages run
// under the Content-Security-Policy without a single violation, and hostile requests get a 4xx.
import http from "node:http";
import { createZone } from "./data.ts";
import { expect, signIn, test } from "./fixtures.ts";

test("security headers on every page and route, and no policy violation while pages run", async ({ page }) => {
  const zone = await createZone("acme", [{ name: "www", type: "A", ttl: 300, content: "192.0.2.1" }]);
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content.Security.Policy|Refused to (execute|load|apply)/i.test(message.text())) violations.push(message.text());
  });
  const login = await page.goto("/login");
  const headers = login!.headers();
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-frame-options"]).toBe("DENY");
  // Served over plain http here: no HSTS (it would pin a name to https that does not serve it).
  expect(headers["strict-transport-security"]).toBeUndefined();

  // Pages that hydrate, submit server actions and draw charts all work under the policy.
  await signIn(page, "owner");
  await page.goto(`/t/acme/domains/${zone.name}/records`);
  await page.getByTestId("add-record").click();
  const form = page.getByRole("form", { name: "Add record" });
  await form.getByLabel("Name", { exact: true }).fill("csp");
  await form.getByLabel("IPv4 address").fill("192.0.2.77");
  await form.getByRole("button", { name: "Add record" }).click();
  await expect(page.getByRole("row", { name: /csp\s+A/ })).toBeVisible();
  await page.goto(`/t/acme/domains/${zone.name}/traffic`);
  await expect(page.getByTestId("domain-qps-chart")).toBeVisible();
  for (const path of ["/t/acme/domains", "/api/health", `/api/t/acme/domains/${zone.name}/serving`, "/rdap/help", "/does-not-exist"]) {
    const response = await page.request.get(path);
    expect(response.headers()["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(response.headers()["x-content-type-options"], path).toBe("nosniff");
  }
  expect(violations).toEqual([]);
});

test("hostile requests get a 4xx: a NUL byte in a search, a cross-site post, an oversized body", async ({ page, env }) => {
  await signIn(page, "owner");
  const search = await page.goto("/t/acme/domains?q=%00");
  expect(search!.status()).toBe(200);
  const records = await page.request.get(`/t/acme/domains?q=a%00b`);
  expect(records.status()).toBe(200);

  const crossSite = await page.request.post("/t/acme/domains", { headers: { origin: "https://evil.example", "next-action": "x" }, data: "[]" });
  expect(crossSite.status()).toBe(403);
  // A body announced over the limit is refused on its headers, before it is read (a client
  // still sending it may see the connection close, as from any server that refuses early).
  expect(await statusOfAnnouncedUpload(`${env.baseUrl}/t/acme/domains`, 21 * 1024 * 1024)).toBe(413);
});

/** POSTs headers announcing `length` bytes and the first 64 KB of them; the status answered. */
function statusOfAnnouncedUpload(url: string, length: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: "POST", headers: { "content-length": String(length), "content-type": "application/octet-stream" } }, (response) => {
      resolve(response.statusCode ?? 0);
      response.resume();
      request.destroy();
    });
    request.on("error", reject);
    request.write(Buffer.alloc(64 * 1024, 97));
  });
}
