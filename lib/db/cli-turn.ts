// One operator CLI run at a time in the database (scripts/cli.ts).
//
// A change set waits for its zone's row lock inside its transaction, and that transaction has a
// 60 s timeout (lib/zone/change-set.ts). 50 `npm run cli -- record add` on one zone at once
// queue on that lock, each holder slowed by the 49 others still starting up, and on a busy
// two-core machine the last ones ran out of time (14 of 50 failed). Waiting for our turn on a
// PostgreSQL advisory lock before the command starts costs nothing while idle, has no timeout,
// and lets the holder run alone. The lock is a session lock on a connection of its own: it is
// released when the run ends, even by a crash (the connection closes).
import pg from "pg";

/** pg_advisory_lock key of the CLI's turn (any constant; "dnscli" in ASCII). */
const CLI_TURN_KEY = 0x646e73636c69;

export interface CliTurn {
  release(): Promise<void>;
}

export async function waitForCliTurn(databaseUrl: string): Promise<CliTurn> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on("error", () => {});
  await client.connect();
  await client.query("SELECT pg_advisory_lock($1)", [CLI_TURN_KEY]);
  return { release: () => client.end().catch(() => {}) };
}
