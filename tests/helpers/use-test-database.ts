// In every test worker: point lib/db at the suite's database.
import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
// Auth codes are encrypted with this key (lib/registry/auth-code.ts); CLI processes inherit it.
process.env.AUTH_CODE_KEY ??= "test-auth-code-key";
