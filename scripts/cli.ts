// Operator CLI: npm run cli -- <noun> <verb> ... (see lib/cli/commands.ts for the commands).
import { openDatabase } from "../lib/db/bootstrap.ts";
import { waitForCliTurn } from "../lib/db/cli-turn.ts";
import { describeError, messageLine, runCli, USAGE, UsageError } from "../lib/cli/commands.ts";
import { ConflictError, NotFoundError, ValidationError, formatIssue } from "../lib/errors.ts";

let code = 0;
// With DATABASE_URL set, migrations are the deployment's job (npm run db:migrate / npm start);
// without it, only migrations really pending are applied (a cheap check, lib/db/migrate.ts).
// Then the run waits for its turn: one CLI run at a time (lib/db/cli-turn.ts).
const { database, turn } = await openDatabase({ migrate: !process.env.DATABASE_URL })
  .then(async (database) => ({ database, turn: await waitForCliTurn(database.url) }))
  .catch((e) => {
    console.error(`error: cannot reach the database: ${messageLine(e)}`);
    process.exit(1);
  });
try {
  const result = await runCli(process.argv.slice(2));
  if (typeof result === "string") console.log(result);
  else {
    console.log(result.output);
    code = result.code;
  }
} catch (e) {
  code = 1;
  if (e instanceof UsageError) {
    console.error(`error: ${e.message}\n${USAGE}`);
    code = 2;
  } else if (e instanceof ValidationError) {
    console.error(`error: ${e.issues.map(formatIssue).join("; ")}`);
  } else if (e instanceof NotFoundError || e instanceof ConflictError) {
    console.error(`error: ${e.message}`);
  } else {
    // Anything else (the database went away, a bug...): one line, never a multi-line dump.
    console.error(`error: ${describeError(e)}`);
  }
}
await turn.release();
await database.stop();
process.exit(code);
