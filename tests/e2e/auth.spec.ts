// Signing in and out, the rate limit, and changing one's password.
import { randomBytes } from "node:crypto";
import { db } from "../../lib/db/client.ts";
import { hashPassword } from "../../lib/auth/password.ts";
import { query } from "../helpers/dns-client.ts";
import { createZone } from "./data.ts";
import { expect, signIn, test } from "./fixtures.ts";

test("signing in: a wrong password is refused without saying which part was wrong; the right one gets in", async ({ page, env }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("owner@acme.test");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("sign-in-error")).toHaveText("Email or password is incorrect.");
  await page.getByLabel("Password").fill(env.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/t\/acme\/domains$/);
  await expect(page.getByRole("heading", { name: "Domains" })).toBeVisible();
  // The session cookie is httpOnly and sameSite (secure in production over https).
  const cookie = (await page.context().cookies()).find((c) => c.name.endsWith("next-auth.session-token"));
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/t/acme/domains");
  await expect(page).toHaveURL(/\/login/);
});

test("repeated failures for an account are rate-limited, with the same words whether or not it exists", async ({ page }) => {
  const email = `nobody-${randomBytes(3).toString("hex")}@acme.test`;
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  for (let i = 0; i < 5; i++) {
    await page.getByLabel("Password").fill(`guess ${i}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("sign-in-error")).toHaveText("Email or password is incorrect.");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  }
  await page.getByLabel("Password").fill("guess 6");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("sign-in-error")).toHaveText(/Too many failed sign-in attempts\. Try again in 1[45] minutes\./);
});

test("changing the password keeps this session and ends the others", async ({ browser, env }) => {
  const email = `pw-${randomBytes(3).toString("hex")}@acme.test`;
  const acme = await db().tenant.findUniqueOrThrow({ where: { slug: "acme" } });
  const user = await db().user.create({ data: { email, passwordHash: await hashPassword(env.password) } });
  await db().membership.create({ data: { userId: user.id, tenantId: acme.id, role: "viewer" } });
  const signInAs = async () => {
    const context = await browser.newContext({ baseURL: env.baseUrl });
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(env.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/t\/acme/);
    return page;
  };
  const here = await signInAs();
  const elsewhere = await signInAs();

  await here.goto("/account");
  await here.getByLabel("Current password").fill("wrong one");
  await here.getByLabel("New password", { exact: true }).fill("a brand new passphrase");
  await here.getByLabel("New password again").fill("a brand new passphrase");
  await here.getByRole("button", { name: "Change password" }).click();
  await expect(here.getByText("this is not your current password")).toBeVisible();
  await here.getByLabel("Current password").fill(env.password);
  await here.getByRole("button", { name: "Change password" }).click();
  await expect(here.getByText(/Password changed/)).toBeVisible();

  await here.goto("/t/acme/domains");
  await expect(here.getByRole("heading", { name: "Domains" })).toBeVisible();
  await elsewhere.goto("/t/acme/domains");
  await expect(elsewhere).toHaveURL(/\/login/);
  await elsewhere.getByLabel("Email").fill(email);
  await elsewhere.getByLabel("Password").fill("a brand new passphrase");
  await elsewhere.getByRole("button", { name: "Sign in" }).click();
  await expect(elsewhere).toHaveURL(/\/t\/acme\/domains$/);
});

test("keyboard only: sign in, then every focused control shows the panel's focus ring", async ({ page, env }) => {
  await page.goto("/login");
  await page.keyboard.type("editor@acme.test"); // the email field has focus
  await page.keyboard.press("Tab");
  await page.keyboard.type(env.password);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/t\/acme\/domains$/);
  // Chromium's own ring is "auto"; ours (app/globals.css) is a 2px solid outline.
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press("Tab");
    const ring = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      return `${el.tagName} ${style.outlineStyle} ${style.outlineWidth}`;
    });
    expect(ring).toMatch(/ solid 2px$/);
  }
});

test("the rate limit counts the real client address, not one the client claims", async ({ browser, env }) => {
  const context = await browser.newContext({ baseURL: env.baseUrl, extraHTTPHeaders: { "X-Forwarded-For": "203.0.113.66" } });
  const page = await context.newPage();
  await signIn(page, "viewer");
  const entry = await db().auditLog.findFirstOrThrow({ where: { action: "user.sign-in", actorLabel: "viewer@acme.test" }, orderBy: { createdAt: "desc" } });
  expect(entry.clientAddress).toMatch(/^(127\.0\.0\.1|::1)$/);
  await context.close();
});

test("signing out ends the session on the server too: a copied cookie no longer works", async ({ browser, env }) => {
  const context = await browser.newContext({ baseURL: env.baseUrl });
  const page = await context.newPage();
  await signIn(page, "viewer");
  const stolen = await context.cookies();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  const replay = await browser.newContext({ baseURL: env.baseUrl });
  await replay.addCookies(stolen);
  const again = await replay.newPage();
  await again.goto("/t/acme/domains");
  await expect(again).toHaveURL(/\/login/);
  await context.close();
  await replay.close();
});

test("a member of several tenants switches between them from the header", async ({ page, env }) => {
  const email = `both-${randomBytes(3).toString("hex")}@acme.test`;
  const user = await db().user.create({ data: { email, passwordHash: await hashPassword(env.password) } });
  for (const slug of ["acme", "other"]) {
    const tenant = await db().tenant.findUniqueOrThrow({ where: { slug } });
    await db().membership.create({ data: { userId: user.id, tenantId: tenant.id, role: "viewer" } });
  }
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(env.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/t\/acme\/domains$/);
  await page.getByLabel("Switch tenant").click();
  await page.getByRole("link", { name: "Other Co" }).click();
  await expect(page).toHaveURL(/\/t\/other\/domains$/);
  await expect(page.getByText("Other Co (viewer)")).toBeVisible();
});

test("an admin stops hosting a domain: the nameserver refuses it from then on", async ({ page, env }) => {
  const zone = await createZone("acme", [{ name: "www", type: "A", ttl: 300, content: "192.0.2.1" }]);
  await signIn(page, "admin");
  await expect(page.getByText("(admin)")).toBeVisible();
  await page.goto(`/t/acme/domains/${zone.name}/records`);
  const confirm = page.getByLabel(`Type ${zone.name} to confirm`);
  const remove = page.getByRole("button", { name: "Stop hosting and delete the zone" });
  await expect(remove).toBeDisabled();
  await confirm.fill(zone.name);
  await remove.click();
  await expect(page).toHaveURL(/\/t\/acme\/domains$/);
  await expect(page.getByRole("link", { name: zone.name })).toHaveCount(0);
  await expect.poll(async () => (await query(env.dnsPort, `www.${zone.name}`, "A")).rcode).toBe("REFUSED");
});
