// Where the servers of the browser tests run: written by global-setup.ts, read by the tests.
import { readFileSync } from "node:fs";
import path from "node:path";

export interface E2eEnvironment {
  baseUrl: string;
  dnsPort: number;
  databaseUrl: string;
  /** Password of every seeded user (see seed.ts). */
  password: string;
}

export const ENV_FILE = path.resolve(import.meta.dirname, "../../tmp/e2e-environment.json");

export function e2eEnvironment(): E2eEnvironment {
  return JSON.parse(readFileSync(ENV_FILE, "utf8"));
}
