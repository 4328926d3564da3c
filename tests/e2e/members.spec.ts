// The team: inviting someone who then joins through the link, and the last-owner rule.
import { randomBytes } from "node:crypto";
import { expect, signIn, test } from "./fixtures.ts";

test("an admin invites a new editor, who sets a password through the link and lands in the tenant", async ({ page, browser, env }) => {
  const email = `new-${randomBytes(3).toString("hex")}@acme.test`;
  await signIn(page, "admin");
  await page.goto("/t/acme/members");
  // Admins cannot hand out the owner role.
  await expect(page.getByLabel("Role", { exact: true }).locator("option", { hasText: "owner" })).toHaveCount(0);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption("editor");
  await page.getByRole("button", { name: "Create invitation link" }).click();
  const link = (await page.getByTestId("invite-link").locator("code").innerText()).trim();
  expect(link).toMatch(new RegExp(`^${env.baseUrl}/invite/[\\w-]{40,}$`));
  await expect(page.getByText(`${email} as editor`)).toBeVisible();

  const invitee = await (await browser.newContext({ baseURL: env.baseUrl })).newPage();
  await invitee.goto(link);
  await expect(invitee.getByText("You are invited to join Acme as editor")).toBeVisible();
  await invitee.getByLabel("Your name").fill("New Person");
  await invitee.getByLabel("Choose a password").fill("short");
  await invitee.getByLabel("Password again").fill("short");
  await invitee.getByRole("button", { name: "Join" }).click();
  await expect(invitee.getByText("use at least 10 characters")).toBeVisible();
  await invitee.getByLabel("Choose a password").fill("a long enough password");
  await invitee.getByLabel("Password again").fill("a long enough password");
  await invitee.getByRole("button", { name: "Join" }).click();
  await expect(invitee).toHaveURL(/\/t\/acme\/domains$/);
  await expect(invitee.getByText("(editor)")).toBeVisible();

  // The link worked once.
  await invitee.goto(link);
  await expect(invitee.getByText("This invitation was already used.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("row", { name: new RegExp(email) })).toBeVisible();
});

test("the last owner can be neither demoted nor removed", async ({ page }) => {
  await signIn(page, "owner");
  await page.goto("/t/acme/members");
  const row = page.getByRole("row", { name: /owner@acme\.test/ });
  await row.getByLabel("Role of owner@acme.test").selectOption("admin");
  await row.getByRole("button", { name: "Save role of owner@acme.test" }).click();
  await expect(row.getByRole("alert")).toHaveText(/the last owner cannot be demoted/);
  await page.reload();
  await expect(page.getByRole("row", { name: /owner@acme\.test/ }).getByLabel("Role of owner@acme.test")).toHaveValue("owner");
  await page.getByRole("row", { name: /owner@acme\.test/ }).getByRole("button", { name: "Leave this tenant" }).click();
  await page.getByRole("row", { name: /owner@acme\.test/ }).getByRole("button", { name: "Leave" }).click();
  await expect(page.getByRole("row", { name: /owner@acme\.test/ }).getByRole("alert")).toHaveText(/the last owner cannot be removed/);
});
