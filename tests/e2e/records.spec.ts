// Editing records in the browser, checked against the real nameserver over UDP.
import { query, soaSerial } from "../helpers/dns-client.ts";
import { createZone, zoneSerial } from "./data.ts";
import { expect, signIn, test } from "./fixtures.ts";
import type { Page } from "@playwright/test";

async function openZone(page: Page, zone: string) {
  await page.goto(`/t/acme/domains/${zone}/records`);
  await expect(page.getByRole("heading", { name: zone })).toBeVisible();
}

const addForm = (page: Page) => page.getByRole("form", { name: "Add record" });
const editForm = (page: Page) => page.getByRole("form", { name: "Edit record" });

/** The serial shown in the change notice after a save. */
async function newSerialFromNotice(page: Page): Promise<number> {
  const notice = page.getByTestId("change-notice");
  await expect(notice).toBeVisible();
  const match = /→ (\d+)/.exec(await notice.innerText());
  return Number(match![1]);
}

test.describe("records", () => {
  test.beforeEach(async ({ page }) => signIn(page, "editor"));

  test("add an A record: the nameserver serves it with the new serial, and the page says it is live", async ({ page, env }) => {
    const zone = await createZone("acme");
    await openZone(page, zone.name);
    await page.getByTestId("add-record").click();
    const form = addForm(page);
    await form.getByLabel("Name", { exact: true }).fill("api");
    await form.getByLabel("TTL (seconds)").fill("300");
    await form.getByLabel("IPv4 address").fill("192.0.2.44");
    await form.getByRole("button", { name: "Add record" }).click();

    const serial = await newSerialFromNotice(page);
    expect(serial).toBeGreaterThan(zone.serial);
    await expect(page.getByTestId("live-status")).toContainText("live on nameserver");
    await expect(page.getByTestId("zone-serial")).toHaveText(String(serial));
    // A negative answer for api.<zone> may be cached for min(SOA TTL, MINIMUM) = 300 s.
    await expect(page.getByTestId("cache-note")).toContainText("5 min");

    const answer = await query(env.dnsPort, `api.${zone.name}`, "A");
    expect(answer.answers.map((a) => a.data)).toEqual(["192.0.2.44"]);
    expect(soaSerial(await query(env.dnsPort, zone.name, "SOA"))).toBe(serial);
    await expect(page.getByRole("row", { name: /api\s+A\s+300\s+192\.0\.2\.44/ })).toBeVisible();
  });

  test("edit an MX record", async ({ page, env }) => {
    const zone = await createZone("acme", [
      { name: "@", type: "MX", ttl: 3600, content: "10 mail" },
      { name: "mail", type: "A", ttl: 300, content: "192.0.2.25" },
      { name: "mx2", type: "A", ttl: 300, content: "192.0.2.26" },
    ]);
    await openZone(page, zone.name);
    await page.getByRole("button", { name: `Edit @ MX 10 mail.${zone.name}.` }).click();
    const form = editForm(page);
    await expect(form.getByLabel("Mail server")).toHaveValue(`mail.${zone.name}`);
    await form.getByLabel("Priority").fill("20");
    await form.getByLabel("Mail server").fill("mx2");
    await form.getByRole("button", { name: "Save record" }).click();

    const serial = await newSerialFromNotice(page);
    await expect(page.getByTestId("live-status")).toContainText("live on nameserver");
    // The old answer was cached with the MX RRset's TTL (1 h).
    await expect(page.getByTestId("cache-note")).toContainText("1 h");
    const mx = await query(env.dnsPort, zone.name, "MX");
    expect(mx.answers.map((a) => a.data)).toEqual([{ preference: 20, exchange: `mx2.${zone.name}` }]);
    expect(soaSerial(await query(env.dnsPort, zone.name, "SOA"))).toBe(serial);
  });

  test("delete a record, and several in one change", async ({ page, env }) => {
    const zone = await createZone("acme", [
      { name: "old", type: "A", ttl: 300, content: "192.0.2.1" },
      { name: "a", type: "TXT", ttl: 300, content: "one" },
      { name: "b", type: "TXT", ttl: 300, content: "two" },
    ]);
    await openZone(page, zone.name);
    await page.getByRole("button", { name: "Delete old A 192.0.2.1" }).click();
    await page.getByRole("region", { name: "Selected records" }).getByRole("button", { name: "Delete", exact: true }).click();
    const first = await newSerialFromNotice(page);
    await expect(page.getByRole("button", { name: "Delete old A 192.0.2.1" })).toHaveCount(0);
    expect((await query(env.dnsPort, `old.${zone.name}`, "A")).rcode).toBe("NXDOMAIN");

    await page.getByRole("checkbox", { name: 'Select a TXT "one"' }).check();
    await page.getByRole("checkbox", { name: 'Select b TXT "two"' }).check();
    await page.getByRole("button", { name: "Delete selected" }).click();
    await page.getByRole("region", { name: "Selected records" }).getByRole("button", { name: "Delete", exact: true }).click();
    await expect(page.getByTestId("change-notice")).toContainText("Deleted 2 records");
    // Two records, one change set: one serial step.
    expect(await newSerialFromNotice(page)).toBe(await zoneSerial(zone.zoneId));
    expect((await query(env.dnsPort, `b.${zone.name}`, "TXT")).rcode).toBe("NXDOMAIN");
    expect(await zoneSerial(zone.zoneId)).toBeGreaterThan(first);
  });

  test("a bad IPv4 address is refused next to its field, and nothing is written", async ({ page }) => {
    const zone = await createZone("acme");
    await openZone(page, zone.name);
    await page.getByTestId("add-record").click();
    const form = addForm(page);
    await form.getByLabel("Name", { exact: true }).fill("bad");
    await form.getByLabel("IPv4 address").fill("192.0.2.300");
    await form.getByRole("button", { name: "Add record" }).click();
    await expect(form.getByText("not a valid IPv4 address")).toBeVisible();
    await expect(form.getByLabel("IPv4 address")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByTestId("change-notice")).toHaveCount(0);
    expect(await zoneSerial(zone.zoneId)).toBe(zone.serial);
  });

  test("a CNAME beside an A record is refused by the server, and nothing is written", async ({ page, env }) => {
    const zone = await createZone("acme", [{ name: "www", type: "A", ttl: 300, content: "192.0.2.1" }]);
    await openZone(page, zone.name);
    await page.getByTestId("add-record").click();
    const form = addForm(page);
    await form.getByLabel("Type").selectOption("CNAME");
    await form.getByLabel("Name", { exact: true }).fill("www");
    await form.getByLabel("Target (alias of)").fill("example.net");
    await form.getByRole("button", { name: "Add record" }).click();
    await expect(form.getByText(/a CNAME cannot exist beside other records/)).toBeVisible();
    await expect(form.getByLabel("Name", { exact: true })).toHaveAttribute("aria-invalid", "true");
    expect(await zoneSerial(zone.zoneId)).toBe(zone.serial);
    expect((await query(env.dnsPort, `www.${zone.name}`, "A")).answers.map((a) => a.data)).toEqual(["192.0.2.1"]);
  });

  test("an MX aimed at an alias is refused next to the mail server field", async ({ page }) => {
    const zone = await createZone("acme", [{ name: "alias", type: "CNAME", ttl: 300, content: "elsewhere.example.net." }]);
    await openZone(page, zone.name);
    await page.getByTestId("add-record").click();
    const form = addForm(page);
    await form.getByLabel("Type").selectOption("MX");
    await form.getByLabel("Priority").fill("10");
    await form.getByLabel("Mail server").fill("alias");
    await form.getByRole("button", { name: "Add record" }).click();
    await expect(form.getByLabel("Mail server")).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByText(/is a CNAME; an MX must point at a name with A\/AAAA records/)).toBeVisible();
    expect(await zoneSerial(zone.zoneId)).toBe(zone.serial);
  });

  test("an edit of a record someone else changed meanwhile is refused, not overwritten", async ({ page, browser, env }) => {
    const zone = await createZone("acme", [{ name: "www", type: "A", ttl: 300, content: "192.0.2.1" }]);
    await openZone(page, zone.name);
    // Someone else, in another browser, edits the same record first.
    const other = await browser.newPage({ baseURL: env.baseUrl });
    await signIn(other, "admin");
    await openZone(other, zone.name);
    await other.getByRole("button", { name: "Edit www A 192.0.2.1" }).click();
    await editForm(other).getByLabel("IPv4 address").fill("192.0.2.2");
    await editForm(other).getByRole("button", { name: "Save record" }).click();
    await expect(other.getByTestId("change-notice")).toBeVisible();
    await other.close();

    await page.getByRole("button", { name: "Edit www A 192.0.2.1" }).click();
    await editForm(page).getByLabel("IPv4 address").fill("192.0.2.3");
    await editForm(page).getByRole("button", { name: "Save record" }).click();
    await expect(editForm(page).getByText(/changed by someone else/)).toBeVisible();
    expect((await query(env.dnsPort, `www.${zone.name}`, "A")).answers.map((a) => a.data)).toEqual(["192.0.2.2"]);
  });

  test("the form spells out the full name and where a target points", async ({ page }) => {
    const zone = await createZone("acme");
    await openZone(page, zone.name);
    await page.getByTestId("add-record").click();
    const form = addForm(page);
    await form.getByLabel("Type").selectOption("MX");
    await form.getByLabel("Name", { exact: true }).fill("mail.sub");
    await expect(form.getByTestId("full-name")).toHaveText(`Full name: mail.sub.${zone.name}.`);
    await form.getByLabel("Mail server").fill("mx");
    await expect(form.getByText(`Points at mx.${zone.name}.`)).toBeVisible();
    await form.getByLabel("Mail server").fill("mx.example.net");
    await expect(form.getByText("Points at mx.example.net.")).toBeVisible();
    await form.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByTestId("add-record")).toBeFocused();
  });

  test("filters, sorts and pages a large zone", async ({ page }) => {
    const records = Array.from({ length: 120 }, (_, i) => ({ name: `host${String(i).padStart(3, "0")}`, type: "A", ttl: 300, content: `192.0.2.${i + 1}` }));
    const zone = await createZone("acme", records);
    await openZone(page, zone.name);
    await expect(page.getByTestId("records-count")).toHaveText("1–50 of 122 records");
    await page.getByRole("link", { name: "Next" }).click();
    await expect(page.getByTestId("records-count")).toHaveText("51–100 of 122 records");
    await page.getByLabel("Type", { exact: true }).selectOption("NS");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page.getByTestId("records-count")).toHaveText("1–2 of 2 records (122 in the zone)");
    await page.getByRole("link", { name: "Clear" }).click();
    await expect(page.getByTestId("records-count")).toHaveText("1–50 of 122 records");
    await expect(page.getByLabel("Type", { exact: true })).toHaveValue("");
    await page.getByLabel("Search names and values").fill("192.0.2.77");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page.getByTestId("record-row")).toHaveCount(1);
    await expect(page.getByTestId("record-row")).toContainText("host076");
  });
});
