// In every test worker: point lib/db at the suite's database.
import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
