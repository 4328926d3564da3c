// npm run db:migrate: applies pending migrations to DATABASE_URL (or the embedded database).
import { openDatabase } from "../lib/db/bootstrap.ts";
import { applyMigrations } from "../lib/db/migrate.ts";

const database = await openDatabase({ migrate: false });
const applied = await applyMigrations(database.url);
console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
await database.stop();
process.exit(0);
