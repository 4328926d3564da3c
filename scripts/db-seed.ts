// npm run db:seed: the first platform admin and the demo tenant, if there is no admin yet, and
// the registry's TLDs (REGISTRY_TLDS) with our nameservers' glue.
import { openDatabase } from "../lib/db/bootstrap.ts";
import { seedFirstRun } from "../lib/seed.ts";
import { ensureRegistry } from "../lib/registry/tlds.ts";

const database = await openDatabase({ migrate: false });
const seed = await seedFirstRun();
if (seed.generatedPassword) console.log(`platform admin ${seed.adminEmail}, password ${seed.generatedPassword} (shown once)`);
else console.log(seed.created ? `platform admin ${seed.adminEmail} created` : `platform admin exists: ${seed.adminEmail}`);
const tlds = await ensureRegistry();
console.log(`registry TLDs: ${tlds.map((t) => t.tld).join(", ")}`);
await database.stop();
process.exit(0);
