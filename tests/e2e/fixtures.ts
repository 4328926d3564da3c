// The browser tests' fixtures: the servers' addresses (baseURL), signing in as a seeded user,
// and making a zone of one's own through the real write path.
import { test as base, expect, type Page } from "@playwright/test";
import { e2eEnvironment, type E2eEnvironment } from "./environment.ts";
import { USERS } from "./seed.ts";

const environment = e2eEnvironment();
process.env.DATABASE_URL = environment.databaseUrl;
// Registrations made by tests encrypt their auth codes with the panel's key (global-setup.ts).
process.env.AUTH_CODE_KEY = "e2e-auth-code-key";

export type Who = keyof typeof USERS;

export async function signIn(page: Page, who: Who) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(USERS[who]);
  await page.getByLabel("Password").fill(environment.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

export const test = base.extend<{ env: E2eEnvironment }>({
  baseURL: environment.baseUrl,
  // eslint-disable-next-line no-empty-pattern
  env: async ({}, use) => use(environment),
});

export { expect };
