// Platform administration end to end: a tenant's whole life under an operator — created with
// an owner who accepts the invitation and adds a domain; suspended for abuse (the owner sees
// the banner and no edit controls, and dig gets REFUSED from the real nameserver); lifted; then
// found in the audit log, downloaded as CSV; and the dashboard's chart drawn from the
// nameserver's own query counts.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { expect, signIn, test } from "./fixtures.ts";

const run = promisify(execFile);

/** dig's status line for `name` SOA from our nameserver ("NOERROR", "REFUSED", ...). */
async function digStatus(port: number, name: string): Promise<string> {
  const { stdout } = await run("dig", [`@127.0.0.1`, "-p", String(port), name, "SOA", "+norecurse", "+tries=1", "+time=2"]);
  return /status: (\w+)/.exec(stdout)?.[1] ?? `no status in: ${stdout}`;
}

test("a platform admin runs a tenant's life: create, abuse suspension and lift, audit log and CSV, dashboard", async ({ page, browser, env }) => {
  test.setTimeout(240_000);
  const slug = `t${randomBytes(3).toString("hex")}`;
  const ownerEmail = `owner@${slug}.test`;
  const domain = `${slug}.test`;

  // The admin creates the tenant; its owner gets an invitation link.
  await signIn(page, "platform");
  await page.goto("/admin/tenants");
  await page.getByLabel("Name", { exact: true }).fill(`Tenant ${slug}`);
  await page.getByLabel("Short name (in URLs)").fill(slug);
  await page.getByLabel("Owner's email").fill(ownerEmail);
  await page.getByRole("button", { name: "Create tenant" }).click();
  const link = (await page.locator("code", { hasText: "/invite/" }).innerText()).trim();

  // The owner accepts and adds a domain, which our nameserver then answers for.
  const owner = await (await browser.newContext({ baseURL: env.baseUrl })).newPage();
  await owner.goto(link);
  await owner.getByLabel("Your name").fill("Owner");
  await owner.getByLabel("Choose a password").fill("a long enough password");
  await owner.getByLabel("Password again").fill("a long enough password");
  await owner.getByRole("button", { name: "Join" }).click();
  await expect(owner).toHaveURL(new RegExp(`/t/${slug}/domains$`));
  await owner.locator("#domain-name").fill(domain); // "Host a domain registered elsewhere"
  await owner.getByRole("button", { name: "Add domain" }).click();
  await expect(owner.getByRole("link", { name: domain }).first()).toBeVisible();
  await expect.poll(() => digStatus(env.dnsPort, domain), { timeout: 30_000 }).toBe("NOERROR");
  await owner.goto(`/t/${slug}/domains/${domain}/records`);
  await expect(owner.getByTestId("add-record")).toBeVisible();

  // Suspended for abuse: the owner still reads, but sees why and cannot change anything; the
  // nameserver refuses the zone.
  await page.goto(`/admin/tenants/${slug}`);
  await page.getByRole("radio", { name: /Abuse/ }).check();
  await page.getByLabel("Reason").fill("phishing pages reported");
  await page.getByRole("button", { name: "Suspend tenant" }).click();
  await expect(page.getByText("Suspended for abuse.")).toBeVisible();
  await owner.goto(`/t/${slug}/domains/${domain}/records`);
  await expect(owner.getByTestId("suspension-banner")).toContainText("suspended for abuse: phishing pages reported");
  await expect(owner.getByRole("row", { name: /\bNS\b/ }).first()).toBeVisible();
  await expect(owner.getByTestId("add-record")).toHaveCount(0);
  await expect(owner.getByRole("button", { name: /^Edit / })).toHaveCount(0);
  await expect(owner.getByRole("checkbox")).toHaveCount(0);
  await expect.poll(() => digStatus(env.dnsPort, domain), { timeout: 30_000 }).toBe("REFUSED");

  // Lifted: served again, banner gone.
  await page.getByRole("button", { name: "Lift suspension" }).click();
  await expect.poll(() => digStatus(env.dnsPort, domain), { timeout: 30_000 }).toBe("NOERROR");
  await owner.reload();
  await expect(owner.getByTestId("suspension-banner")).toHaveCount(0);

  // The audit log, filtered to this tenant's suspensions, and its CSV.
  await page.goto("/admin/audit");
  await page.getByLabel("Tenant").fill(slug);
  await page.getByLabel("Action").fill("tenant.");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`tenant=${slug}`));
  const log = page.getByRole("table");
  await expect(log.getByRole("row").filter({ hasText: "tenant.suspend" })).toHaveCount(1);
  await expect(log.getByRole("row").filter({ hasText: "tenant.resume" })).toHaveCount(1);
  await expect(log.getByRole("row").filter({ hasText: "zone.change" })).toHaveCount(0);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^audit-platform-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile(await download.path(), "utf8");
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toBe("time,actor,tenant,action,target,client_address,details");
  expect(lines.filter((l) => l.includes(",tenant.suspend,"))).toHaveLength(1);
  expect(lines.filter((l) => l.includes(",tenant.resume,"))).toHaveLength(1);
  expect(csv).toContain("phishing pages reported");

  // The dashboard charts the queries dig sent above, from the nameserver's per-minute rollups
  // (a minute shows once it is over, so this may wait for the next minute).
  await page.goto("/admin?range=1h");
  const chart = page.getByTestId("platform-qps-chart");
  await expect
    .poll(async () => {
      await page.reload();
      return Number(await chart.getAttribute("data-points"));
    }, { timeout: 150_000, intervals: [5_000] })
    .toBeGreaterThan(0);
  await expect(chart.locator(".recharts-area-area").first()).toBeVisible();
});
