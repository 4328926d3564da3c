// npm run db:migrate: applies pending migrations to DATABASE_URL (or the embedded database).
// Always through the schema engine (it also reports a migration changed after it was applied);
// the other entry points only call it when pendingMigrations() finds something to do.
// Production: node dist/scripts/db-migrate.js (docker-compose's migrate service).
import { openDatabase } from "../lib/db/bootstrap.ts";
import { applyMigrations } from "../lib/db/migrate.ts";

const database = await openDatabase({ migrate: false });
const applied = await applyMigrations(database.url);
console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
await database.stop();
process.exit(0);
