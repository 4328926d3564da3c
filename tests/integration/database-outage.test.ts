// The nameserver keeps answering from memory while PostgreSQL is down, reconnects when it comes
// back, and catches up with a change made after the restart. Uses its own embedded PostgreSQL
// so stopping it does not disturb the other tests.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../../lib/db/client.ts";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../lib/db/embedded-postgres.ts";
import { applyMigrations } from "../../lib/db/migrate.ts";
import { createHostedDomain } from "../../lib/domains.ts";
import { applyChangeSet } from "../../lib/zone/change-set.ts";
import { query, soaSerial } from "../helpers/dns-client.ts";
import { TEST_ACTOR } from "../helpers/factories.ts";
import { eventually, startNameserver, type NameserverProcess } from "../helpers/nameserver-process.ts";

let dir: string;
let database: EmbeddedDatabase | undefined;
let ns: NameserverProcess | undefined;

afterAll(async () => {
  await ns?.stop();
  await database?.stop().catch(() => {});
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("database outage", () => {
  it("serves from memory while the database is down, then resynchronises", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "dns-outage-"));
    database = await startEmbeddedPostgres({ dataDir: dir });
    const port = database.port;
    await applyMigrations(database.url);
    const client = createDb(database.url, 2);
    const tenant = await client.tenant.create({ data: { slug: "outage", name: "outage" } });
    const { zoneId } = await createHostedDomain({ tenantId: tenant.id, name: "outage.test" }, TEST_ACTOR, client);
    await applyChangeSet(zoneId, { add: [{ name: "www", type: "A", content: "192.0.2.1" }] }, TEST_ACTOR, client);
    await client.$disconnect();

    ns = await startNameserver({ databaseUrl: database.url, env: { DNS_RESYNC_INTERVAL_MS: "0" } });
    expect((await query(ns.port, "www.outage.test", "A")).answers![0].data).toBe("192.0.2.1");

    await database.stop();
    await eventually(async () => expect(ns!.output()).toMatch(/database connection lost/), 10_000);
    for (let i = 0; i < 5; i++) {
      const r = await query(ns.port, "www.outage.test", "A");
      expect(r.answers![0].data).toBe("192.0.2.1");
    }

    database = await startEmbeddedPostgres({ dataDir: dir, port });
    const again = createDb(database.url, 2);
    const change = await applyChangeSet(zoneId, { add: [{ name: "after", type: "A", content: "192.0.2.2" }] }, TEST_ACTOR, again);
    await again.$disconnect();
    // The NOTIFY may have gone out before the nameserver reconnected: the resync by serial
    // after reconnecting must find the change anyway.
    await eventually(async () => {
      expect((await query(ns!.port, "after.outage.test", "A")).answers![0]?.data).toBe("192.0.2.2");
      expect(soaSerial(await query(ns!.port, "outage.test", "SOA"))).toBe(change.serial);
    }, 20_000, 50);
    expect(ns.process.exitCode).toBeNull();
  }, 120_000); // two PostgreSQL starts and a nameserver's: slow on a busy machine
});
