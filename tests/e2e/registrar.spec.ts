// The registrar in the browser: register a domain, add a record, switch it to custom
// nameservers (through the pre-flight), see on the records page that its records are not used,
// switch back; a viewer sees the registration but cannot change it.
import { db } from "../../lib/db/client.ts";
import { addYears } from "../../lib/registry/lifecycle.ts";
import { query } from "../helpers/dns-client.ts";
import { registerDomain } from "./data.ts";
import { expect, signIn, test } from "./fixtures.ts";
import { REGISTRY_TLD } from "./seed.ts";
import type { Page } from "@playwright/test";

/** The delegation records of `name` in the registry's parent zone, as "TYPE content". */
async function parentRecords(name: string): Promise<string[]> {
  const records = await db().record.findMany({ where: { zone: { name: REGISTRY_TLD }, name } });
  return records.map((r) => `${r.type} ${r.content}`).sort();
}

async function tab(page: Page, name: "Overview" | "Records" | "Nameservers" | "History") {
  await page.getByRole("navigation", { name: "Domain" }).getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("navigation", { name: "Domain" }).getByRole("link", { name, exact: true })).toHaveAttribute("aria-current", "page");
}

test("register a domain, add a record, switch to custom nameservers and back", async ({ page, env }) => {
  const name = `r${Date.now().toString(36)}.${REGISTRY_TLD}`;
  await signIn(page, "owner");
  await page.goto("/t/acme/domains");

  // Find it: invalid names get a reason, a free one can be registered.
  const search = page.getByRole("search", { name: "Find a domain to register" });
  await search.getByLabel("Domain name").fill(`www.${name}`);
  await search.getByRole("button", { name: "Check availability" }).click();
  await expect(page.getByTestId("availability")).toContainText(`only names directly under .${REGISTRY_TLD}`);
  await search.getByLabel("Domain name").fill(name);
  await search.getByRole("button", { name: "Check availability" }).click();
  await expect(page.getByTestId("availability")).toContainText("Available");
  await page.getByLabel("Register for").selectOption("2");
  await page.getByRole("button", { name: `Register ${name}` }).click();
  await expect(page.getByTestId("registered-notice")).toContainText(`${name} is registered until`);
  await page.getByRole("link", { name: `Open ${name}` }).click();

  // The overview: registered here, on our nameservers, until two years from now.
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByTestId("domain-badges")).toContainText("Registered here");
  await expect(page.getByTestId("domain-badges")).toContainText("Uses our nameservers");
  await expect(page.getByTestId("expires-at")).toHaveText(addYears(new Date(), 2).toISOString().slice(0, 10));
  await expect(page.getByTestId("delegation-check")).toContainText(`NS for ${name}`);
  expect(await parentRecords(name)).toEqual(["NS ns1.example.net.", "NS ns2.example.net."]);

  // A record, served at once.
  await tab(page, "Records");
  await expect(page.getByTestId("records-not-used")).toHaveCount(0);
  await page.getByTestId("add-record").click();
  const form = page.getByRole("form", { name: "Add record" });
  await form.getByLabel("Name", { exact: true }).fill("www");
  await form.getByLabel("IPv4 address").fill("192.0.2.77");
  await form.getByRole("button", { name: "Add record" }).click();
  await expect(page.getByTestId("change-notice")).toBeVisible();
  await expect(page.getByTestId("live-status")).toContainText("live on nameserver");
  await expect.poll(async () => (await query(env.dnsPort, `www.${name}`, "A")).answers.map((a) => a.data)).toEqual(["192.0.2.77"]);

  // Custom nameservers that do not answer yet: the pre-flight says so, "Switch anyway" does it.
  await tab(page, "Nameservers");
  await page.getByLabel(/Use custom nameservers/).check();
  await page.getByLabel("Nameserver 1").fill("ns1.other.net");
  await page.getByLabel("Nameserver 2").fill("ns2.other.net");
  await page.getByRole("button", { name: "Save nameservers" }).click();
  await expect(page.getByTestId("preflight")).toContainText("ns1.other.net");
  await expect(page.getByTestId("switch-anyway-note")).toBeVisible();
  expect(await parentRecords(name)).toEqual(["NS ns1.example.net.", "NS ns2.example.net."]); // nothing changed yet
  await page.getByRole("button", { name: "Switch anyway" }).click();
  await expect(page.getByTestId("nameservers-saved")).toContainText("Now delegated to ns1.other.net, ns2.other.net");
  await expect(page.getByTestId("nameservers-saved")).toContainText("visible everywhere by");
  expect(await parentRecords(name)).toEqual(["NS ns1.other.net.", "NS ns2.other.net."]);

  // The records page says, above the table, that these records are not the ones the world sees.
  await tab(page, "Records");
  await expect(page.getByTestId("records-not-used")).toContainText(
    "These records are not being used: this domain is delegated to ns1.other.net, ns2.other.net. Switch back to our nameservers to use them.",
  );
  await expect(page.getByRole("row", { name: /www\s+A\s+3600\s+192\.0\.2\.77/ })).toBeVisible(); // kept
  await page.reload();
  await expect(page.getByTestId("records-not-used")).toBeVisible(); // on every visit

  // Back to ours: the warning goes, nothing was lost.
  await tab(page, "Nameservers");
  await page.getByLabel(/Use our nameservers/).check();
  await page.getByRole("button", { name: "Save nameservers" }).click();
  await expect(page.getByTestId("nameservers-saved")).toContainText("Now on our nameservers");
  expect(await parentRecords(name)).toEqual(["NS ns1.example.net.", "NS ns2.example.net."]);
  await tab(page, "Records");
  await expect(page.getByTestId("records-not-used")).toHaveCount(0);
  await expect(page.getByRole("row", { name: /www\s+A\s+3600\s+192\.0\.2\.77/ })).toBeVisible();
  await expect.poll(async () => (await query(env.dnsPort, `www.${name}`, "A")).answers.map((a) => a.data)).toEqual(["192.0.2.77"]);
});

test("a viewer sees the registration but cannot change it", async ({ page }) => {
  const { name, expiresAt } = await registerDomain("acme");
  await signIn(page, "viewer");
  await page.goto(`/t/acme/domains/${name}`);
  await expect(page.getByTestId("registration")).toBeVisible();
  await expect(page.getByTestId("expires-at")).toHaveText(expiresAt.toISOString().slice(0, 10));
  await expect(page.getByTestId("auto-renew")).toContainText("On");
  await expect(page.getByTestId("registration-read-only")).toBeVisible();
  await expect(page.getByRole("button", { name: "Renew" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Reveal" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Change nameservers" })).toHaveCount(0);
  await tab(page, "Nameservers");
  await expect(page.getByTestId("nameservers-read-only")).toContainText("ns1.example.net");
  await expect(page.getByRole("button", { name: "Save nameservers" })).toHaveCount(0);
  // The register box is for those who may register.
  await page.goto("/t/acme/domains");
  await expect(page.getByRole("search", { name: "Find a domain to register" })).toHaveCount(0);
});

test("an owner renews, turns auto-renew off and reveals the auth code (audited)", async ({ page }) => {
  const { name, expiresAt } = await registerDomain("acme");
  await signIn(page, "owner");
  await page.goto(`/t/acme/domains/${name}`);
  await page.getByLabel("Renew for").selectOption("3");
  await page.getByRole("button", { name: "Renew", exact: true }).click();
  await expect(page.getByTestId("expires-at")).toHaveText(addYears(expiresAt, 3).toISOString().slice(0, 10));
  await page.getByRole("button", { name: "Turn auto-renew off" }).click();
  await expect(page.getByTestId("auto-renew")).toHaveText("Off");
  await page.getByRole("button", { name: "Reveal" }).click();
  await expect(page.getByTestId("auth-code")).toHaveText(/^\S{16}$/);
  await expect
    .poll(async () => db().auditLog.count({ where: { target: name, action: "domain.authcode.reveal", actorLabel: "owner@acme.test" } }))
    .toBe(1);
});
