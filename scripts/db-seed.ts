// npm run db:seed: the first platform admin and the demo tenant, if there is no admin yet.
import { openDatabase } from "../lib/db/bootstrap.ts";
import { seedFirstRun } from "../lib/seed.ts";

const database = await openDatabase({ migrate: false });
const seed = await seedFirstRun();
if (seed.generatedPassword) console.log(`platform admin ${seed.adminEmail}, password ${seed.generatedPassword} (shown once)`);
else console.log(seed.created ? `platform admin ${seed.adminEmail} created` : `platform admin exists: ${seed.adminEmail}`);
await database.stop();
process.exit(0);
