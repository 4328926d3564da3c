// Who sees and does what, through the real sign-in and session cookies.
import { createZone } from "./data.ts";
import { expect, signIn, test, type Who } from "./fixtures.ts";

test("a viewer sees the records but cannot change them", async ({ page }) => {
  const zone = await createZone("acme", [{ name: "www", type: "A", ttl: 300, content: "192.0.2.1" }]);
  await signIn(page, "viewer");
  await page.goto(`/t/acme/domains/${zone.name}/records`);
  await expect(page.getByRole("row", { name: /www\s+A\s+300\s+192\.0\.2\.1/ })).toBeVisible();
  await expect(page.getByTestId("read-only-note")).toContainText("viewer");
  await expect(page.getByTestId("add-record")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Edit / })).toHaveCount(0);
  await expect(page.getByRole("checkbox")).toHaveCount(0);
  // The team is visible, its management is not.
  await page.goto("/t/acme/members");
  await expect(page.getByRole("row", { name: /owner@acme\.test/ })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create invitation link" })).toHaveCount(0);
});

test("a user of another tenant gets 404 for the domain, the tenant and the status route", async ({ page }) => {
  const zone = await createZone("acme");
  await signIn(page, "otherOwner");
  for (const path of [
    `/t/acme/domains/${zone.name}`,
    `/t/acme/domains/${zone.name}/records`,
    `/t/acme/domains/${zone.name}/nameservers`,
    `/t/other/domains/${zone.name}`,
    "/t/acme/domains",
    "/t/acme/members",
    `/t/acme/domains/${zone.name}/history`,
  ]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  }
  const api = await page.request.get(`/api/t/acme/domains/${zone.name}/serving`);
  expect(api.status()).toBe(404);
  // The same response as for a domain that does not exist at all.
  expect((await page.request.get("/api/t/acme/domains/nonexistent.test/serving")).status()).toBe(404);
});

test("the status route answers each role of the tenant, and nobody signed out", async ({ browser, env }) => {
  const zone = await createZone("acme");
  const anonymous = await browser.newContext({ baseURL: env.baseUrl });
  expect((await anonymous.request.get(`/api/t/acme/domains/${zone.name}/serving`)).status()).toBe(401);
  await anonymous.close();
  for (const who of ["owner", "admin", "editor", "viewer", "platform"] as Who[]) {
    const context = await browser.newContext({ baseURL: env.baseUrl });
    const page = await context.newPage();
    await signIn(page, who);
    const response = await page.request.get(`/api/t/acme/domains/${zone.name}/serving`);
    expect(response.status(), who).toBe(200);
    expect(await response.json()).toMatchObject({ serial: zone.serial, served: true });
    await context.close();
  }
});

test("signed-out visitors are sent to sign in, and come back after", async ({ page, env }) => {
  const zone = await createZone("acme");
  await page.goto(`/t/acme/domains/${zone.name}`);
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  await page.getByLabel("Email").fill("owner@acme.test");
  await page.getByLabel("Password").fill(env.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/t/acme/domains/${zone.name.replace(/\./g, "\\.")}$`));
});

test("a platform admin manages tenants and can enter any tenant", async ({ page }) => {
  await signIn(page, "platform");
  await expect(page).toHaveURL(/\/admin$/);
  await page.goto("/admin/tenants");
  await page.getByLabel("Name", { exact: true }).fill("Initech");
  await page.getByLabel("Short name (in URLs)").fill("initech");
  await page.getByLabel("Owner's email").fill("boss@initech.test");
  await page.getByRole("button", { name: "Create tenant" }).click();
  await expect(page.getByText(/Owner invitation: http:\/\/localhost:\d+\/invite\//)).toBeVisible();
  await expect(page.getByRole("row", { name: /Initech/ })).toBeVisible();
  // A tenant's admin page, then its own pages, as a platform admin.
  await page.getByRole("link", { name: "Other Co", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Other Co" })).toBeVisible();
  await page.getByRole("link", { name: "Open Other Co's pages" }).click();
  await expect(page.getByText("(platform admin)")).toBeVisible();
});

test("platform administration is for platform admins: signed out goes to sign-in, anyone else finds nothing", async ({ browser, env }) => {
  const zone = await createZone("acme");
  const adminPages = ["/admin", "/admin/tenants", "/admin/tenants/acme", "/admin/users", "/admin/audit"];
  const anonymous = await (await browser.newContext({ baseURL: env.baseUrl })).newPage();
  for (const path of [...adminPages, "/t/acme/settings", `/t/acme/domains/${zone.name}/traffic`]) {
    await anonymous.goto(path);
    await expect(anonymous, path).toHaveURL(/\/login\?callbackUrl=/);
  }
  expect((await anonymous.request.get("/api/admin/audit/csv")).status()).toBe(401);
  expect((await anonymous.request.get("/api/t/acme/audit/csv")).status()).toBe(401);

  // A tenant's owner: its settings and traffic yes, /admin no (404, like a page that does not exist).
  const owner = await (await browser.newContext({ baseURL: env.baseUrl })).newPage();
  await signIn(owner, "owner");
  for (const path of adminPages) {
    const response = await owner.goto(path);
    expect(response?.status(), path).toBe(404);
  }
  expect((await owner.request.get("/api/admin/audit/csv")).status()).toBe(404);
  await owner.goto("/t/acme/settings");
  await expect(owner.getByRole("heading", { name: "Audit log" })).toBeVisible();
  expect((await owner.request.get("/api/t/acme/audit/csv")).status()).toBe(200);
  await owner.goto(`/t/acme/domains/${zone.name}/traffic`);
  await expect(owner.getByTestId("domain-qps-chart")).toBeVisible();

  // A viewer sees the tenant's usage, not its audit log.
  const viewer = await (await browser.newContext({ baseURL: env.baseUrl })).newPage();
  await signIn(viewer, "viewer");
  expect((await viewer.request.get("/api/t/acme/audit/csv")).status()).toBe(403);
  await viewer.goto("/t/acme/settings");
  await expect(viewer.getByText("Domains").first()).toBeVisible();
  await expect(viewer.getByRole("heading", { name: "Audit log" })).toHaveCount(0);
});
