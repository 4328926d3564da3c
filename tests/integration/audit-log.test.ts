// The audit log: append-only in the database, read through filters and keyset pages, a
// tenant's own view and who may see it, CSV exports (quoting, formula injection, streaming in
// batches, the routes), sign-in failures and sign-outs, and the CLI's `audit ls`.
import { describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { db } from "../../lib/db/client.ts";
import { audit, type AuditEntry } from "../../lib/audit/audit.ts";
import { auditLogBatches, auditLogPage, platformAuditExport, platformAuditLog, tenantAuditExport, tenantAuditLog, type AuditLogEntry } from "../../lib/audit/queries.ts";
import { AUDIT_CSV_COLUMNS, auditCsvStream } from "../../lib/audit/csv.ts";
import { changeOwnPassword } from "../../lib/auth/account.ts";
import { authOptions } from "../../lib/auth/next-auth.ts";
import { startAuthSession, userOfAuthSession } from "../../lib/auth/auth-sessions.ts";
import { hashPassword } from "../../lib/auth/password.ts";
import { SIGN_IN_FAILED, signOutSession, verifySignIn } from "../../lib/auth/sign-in.ts";
import { ACCOUNT_FAILURE_LIMIT } from "../../lib/auth/throttle.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../../lib/errors.ts";
import type { Principal } from "../../lib/permissions.ts";
import { platformAuditCsvResponse, tenantAuditCsvResponse } from "../../app/_handlers/audit.ts";
import { cli } from "../helpers/cli.ts";
import { createTenant, uniqueLabel } from "../helpers/factories.ts";
import { person, tenantWithEveryone, type Who } from "../helpers/people.ts";

/** Writes entries through the one writer, in order (each at or after the one before). */
async function write(entries: (Partial<AuditEntry> & { action: string })[]) {
  for (const e of entries) await audit(db(), { actorLabel: "test", target: "x", ...e });
}

/** An action namespace of this test's own, so other tests' entries never match its filters. */
const namespace = () => uniqueLabel("ns");

async function outcome(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return "ok";
  } catch (e) {
    if (e instanceof ForbiddenError) return "forbidden";
    if (e instanceof NotFoundError) return "not-found";
    throw e;
  }
}

async function collect(batches: AsyncGenerator<AuditLogEntry[]>): Promise<AuditLogEntry[][]> {
  const all: AuditLogEntry[][] = [];
  for await (const batch of batches) all.push(batch);
  return all;
}

describe("append-only in the database", () => {
  it("refuses UPDATE and DELETE of an entry, whatever SQL asks", async () => {
    const ns = namespace();
    await write([{ action: `${ns}.kept`, target: "original" }]);
    const row = await db().auditLog.findFirstOrThrow({ where: { action: `${ns}.kept` } });
    await expect(db().$executeRawUnsafe(`UPDATE "AuditLog" SET target = 'forged' WHERE id = $1`, row.id)).rejects.toThrow(/append-only: UPDATE on "AuditLog" refused/);
    await expect(db().$executeRawUnsafe(`DELETE FROM "AuditLog" WHERE id = $1`, row.id)).rejects.toThrow(/append-only: DELETE on "AuditLog" refused/);
    // Through the client too, in a transaction that would otherwise commit.
    await expect(db().$transaction(async (tx) => tx.$executeRawUnsafe(`UPDATE "AuditLog" SET "clientAddress" = NULL WHERE action = $1`, `${ns}.kept`))).rejects.toThrow(/append-only/);
    expect(await db().auditLog.findUniqueOrThrow({ where: { id: row.id } })).toEqual(row);
  });

  it("keeps a tenant's entries when the tenant is deleted (no foreign key), findable by its id", async () => {
    const tenant = await createTenant();
    const ns = namespace();
    await write([{ tenantId: tenant.id, action: `${ns}.before-delete` }]);
    await db().tenant.delete({ where: { id: tenant.id } });
    const page = await auditLogPage({}, { tenant: tenant.id, action: `${ns}.` });
    expect(page.entries.map((e) => [e.action, e.tenant])).toEqual([[`${ns}.before-delete`, tenant.id]]);
  });
});

describe("filters and pages", () => {
  it("filters by tenant (slug), actor (part, any case, wildcards literal), action (exact or prefix) and time", async () => {
    const ns = namespace();
    const [a, b] = [await createTenant(), await createTenant()];
    const who = uniqueLabel("Alice_");
    await write([
      { tenantId: a.id, action: `${ns}.one`, actorLabel: `${who}@example.test` },
      { tenantId: b.id, action: `${ns}.two`, actorLabel: "bob@example.test" },
      { tenantId: a.id, action: `${ns}x.three`, actorLabel: `${who.replace("_", "x")}@example.test` },
      { action: `${ns}.four`, actorLabel: "cli" },
    ]);
    const actions = async (filter: Record<string, string>) => (await auditLogPage({}, filter)).entries.map((e) => e.action).reverse();

    expect(await actions({ action: `${ns}.` })).toEqual([`${ns}.one`, `${ns}.two`, `${ns}.four`]);
    expect(await actions({ action: `${ns}*` })).toEqual([`${ns}.one`, `${ns}.two`, `${ns}x.three`, `${ns}.four`]);
    expect(await actions({ action: `${ns}.two` })).toEqual([`${ns}.two`]);
    expect(await actions({ action: ns })).toEqual([]); // exact, not a prefix
    expect(await actions({ action: `${ns}*`, tenant: a.slug })).toEqual([`${ns}.one`, `${ns}x.three`]);
    // "_" in the filter is an underscore, not LIKE's any-character.
    expect(await actions({ action: `${ns}*`, actor: who.toUpperCase() })).toEqual([`${ns}.one`]);
    expect(await actions({ action: `${ns}*`, actor: "BOB@" })).toEqual([`${ns}.two`]);

    const rows = await db().auditLog.findMany({ where: { action: { startsWith: ns } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    const second = rows[1].createdAt;
    const sinceSecond = rows.filter((r) => r.createdAt >= second).map((r) => r.action);
    expect(await actions({ action: `${ns}*`, since: second.toISOString() })).toEqual(sinceSecond);
    const beforeSecond = rows.filter((r) => r.createdAt < second).map((r) => r.action);
    expect(await actions({ action: `${ns}*`, until: second.toISOString() })).toEqual(beforeSecond);
    // A date alone: "until" covers that whole day (UTC), "since" starts at its midnight.
    const today = new Date().toISOString().slice(0, 10);
    expect(await actions({ action: `${ns}*`, since: today, until: today })).toHaveLength(4);
    expect(await actions({ action: `${ns}*`, since: "2999-01-01" })).toEqual([]);
    expect(await actions({ action: `${ns}*`, until: "2000-01-01" })).toEqual([]);
    // Forms send empty fields; search params may repeat.
    expect(await actions({ action: `${ns}.two`, tenant: "", actor: " ", since: "" })).toEqual([`${ns}.two`]);
    expect((await auditLogPage({}, { action: [`${ns}.one`, `${ns}.two`] })).entries.map((e) => e.action)).toEqual([`${ns}.one`]);
  });

  it("refuses a filter that does not parse, naming the field", async () => {
    const issues = async (filter: unknown) => {
      try {
        await auditLogPage({}, filter);
        return [];
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        return e.issues.map((i) => i.path.join("."));
      }
    };
    expect(await issues({ since: "yesterday" })).toEqual(["since"]);
    expect(await issues({ until: "2026-02-31" })).toEqual(["until"]);
    expect(await issues({ cursor: "o.1.x'; DROP TABLE" })).toEqual(["cursor"]);
    expect(await issues({ tenant: { contains: "" } })).toEqual(["tenant"]);
    expect(await issues({ action: "tenant.%" })).toEqual(["action"]);
  });

  it("pages newest first with keyset cursors: every entry once, in order, also across equal times, and back", async () => {
    const ns = namespace();
    await write(Array.from({ length: 7 }, (_, i) => ({ action: `${ns}.e${i}` })));
    const expected = (await db().auditLog.findMany({ where: { action: { startsWith: `${ns}.` } }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] })).map((r) => r.id);
    const filter = { action: `${ns}.` };

    const pages: string[][] = [];
    let page = await auditLogPage({}, filter, { pageSize: 3 });
    expect(page.newer).toBeNull();
    pages.push(page.entries.map((e) => e.id));
    while (page.older) {
      page = await auditLogPage({}, { ...filter, cursor: page.older }, { pageSize: 3 });
      pages.push(page.entries.map((e) => e.id));
    }
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(expected);

    // Back up: the middle page again, then the first (a full page, without a "newer" link).
    const middle = await auditLogPage({}, { ...filter, cursor: page.newer! }, { pageSize: 3 });
    expect(middle.entries.map((e) => e.id)).toEqual(pages[1]);
    const first = await auditLogPage({}, { ...filter, cursor: middle.newer! }, { pageSize: 3 });
    expect(first.entries.map((e) => e.id)).toEqual(pages[0]);
    expect(first.newer).toBeNull();

    // Entries written meanwhile do not shift the pages already handed out.
    await write([{ action: `${ns}.later` }]);
    expect((await auditLogPage({}, { ...filter, cursor: middle.older! }, { pageSize: 3 })).entries.map((e) => e.id)).toEqual(pages[2]);
  });

  it("the export walks every entry of the filter in batches (the cursor ignored)", async () => {
    const ns = namespace();
    await write(Array.from({ length: 7 }, (_, i) => ({ action: `${ns}.e${i}` })));
    const batches = await collect(auditLogBatches({}, { action: `${ns}.`, cursor: "o.1.x" }, 3));
    expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(batches.flat().map((e) => e.action)).toEqual(Array.from({ length: 7 }, (_, i) => `${ns}.e${6 - i}`));
    expect(await collect(auditLogBatches({}, { action: `${ns}.none` }, 3))).toEqual([]);
  });
});

describe("who reads which log", () => {
  it("the platform's log: platform admins only, others find nothing", async () => {
    const f = await tenantWithEveryone();
    const got: Partial<Record<Who, string>> = {};
    for (const who of ["owner", "admin", "viewer", "outsider", "platform"] as Who[]) got[who] = await outcome(platformAuditLog(f.people[who], {}));
    expect(got).toEqual({ owner: "not-found", admin: "not-found", viewer: "not-found", outsider: "not-found", platform: "ok" });
  });

  it("a tenant's log: owners, admins and platform admins; editors and viewers forbidden; others not found", async () => {
    const f = await tenantWithEveryone();
    await write([{ tenantId: f.tenantId, action: "member.invite", target: "someone@example.test" }]);
    const got: Partial<Record<Who, string>> = {};
    for (const who of ["owner", "admin", "editor", "viewer", "outsider", "platform"] as Who[]) got[who] = await outcome(tenantAuditLog(f.people[who], f.slug, {}));
    expect(got).toEqual({ owner: "ok", admin: "ok", editor: "forbidden", viewer: "forbidden", outsider: "not-found", platform: "ok" });
    expect(await outcome(tenantAuditLog(f.people.owner, "no-such-tenant", {}))).toBe("not-found");
    // The platform admin's look is itself in the tenant's log.
    const page = await tenantAuditLog(f.people.owner, f.slug, { action: "platform.access" });
    expect(page.entries[0]).toMatchObject({ actor: f.people.platform.email, details: { action: "audit:read" } });
  });

  it("shows only the tenant's entries, whatever the filter's tenant says, and hides staff addresses", async () => {
    const f = await tenantWithEveryone();
    const other = await tenantWithEveryone();
    const ns = namespace();
    const staff = { ...f.people.platform, clientAddress: "198.51.100.7" };
    const owner = { ...f.people.owner, clientAddress: "192.0.2.44" };
    await write([
      { tenantId: f.tenantId, action: `${ns}.mine`, actorId: owner.userId, actorLabel: owner.email, clientAddress: owner.clientAddress },
      { tenantId: f.tenantId, action: `${ns}.staff`, actorId: staff.userId, actorLabel: staff.email, clientAddress: staff.clientAddress },
      { tenantId: other.tenantId, action: `${ns}.theirs` },
    ]);
    const mine = await tenantAuditLog(f.people.owner, f.slug, { action: `${ns}.`, tenant: other.slug });
    expect(mine.entries.map((e) => [e.action, e.clientAddress])).toEqual([
      [`${ns}.staff`, null],
      [`${ns}.mine`, "192.0.2.44"],
    ]);
    const platform = await platformAuditLog(f.people.platform, { action: `${ns}.`, tenant: f.slug });
    expect(platform.entries.map((e) => [e.action, e.clientAddress, e.tenant])).toEqual([
      [`${ns}.staff`, "198.51.100.7", f.slug],
      [`${ns}.mine`, "192.0.2.44", f.slug],
    ]);
  });
});

describe("CSV", () => {
  const NASTY = ["comma, inside", 'a "quoted" word', "two\nlines", "cr\ronly", "=HYPERLINK(\"http://evil.example\",\"x\")", "+1", "-2+3", "@SUM(A1)", "\tTAB", "plain"];

  async function text(stream: ReadableStream<Uint8Array>): Promise<{ text: string; chunks: number }> {
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    let out = "";
    let chunks = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text: out + decoder.decode(), chunks };
      chunks++;
      out += decoder.decode(value, { stream: true });
    }
  }

  it("quotes commas, quotes and line breaks (RFC 4180) and defuses formulas; the parser reads back every value", async () => {
    const f = await tenantWithEveryone();
    const ns = namespace();
    await write(NASTY.map((value, i) => ({ tenantId: f.tenantId, action: `${ns}.v${i}`, actorLabel: value, target: value, clientAddress: "192.0.2.1", details: { reason: value } })));
    const found = await tenantAuditExport(f.people.owner, f.slug, { action: `${ns}.` });
    const { text: csv } = await text(auditCsvStream(found.batches));
    expect(csv.startsWith(`${AUDIT_CSV_COLUMNS.join(",")}\r\n`)).toBe(true);
    expect(csv.endsWith("\r\n")).toBe(true);
    const rows: Record<string, string>[] = parse(csv, { columns: true });
    const defused = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
    expect(rows.map((r) => r.target).reverse()).toEqual(NASTY.map(defused));
    expect(rows.map((r) => r.actor).reverse()).toEqual(NASTY.map(defused));
    expect(rows.map((r) => JSON.parse(r.details).reason).reverse()).toEqual(NASTY);
    expect(rows.every((r) => r.tenant === f.slug && r.client_address === "192.0.2.1" && !Number.isNaN(Date.parse(r.time)))).toBe(true);
    // No cell of the raw file starts a formula.
    const cells = parse(csv, { relax_quotes: false }) as string[][];
    expect(cells.flat().filter((c) => /^[=+\-@]/.test(c))).toEqual([]);
  });

  it("streams batch by batch: more batches, more chunks, each pulled when read", async () => {
    const ns = namespace();
    await write(Array.from({ length: 8 }, (_, i) => ({ action: `${ns}.e${i}`, target: `row ${i}` })));
    const { text: csv, chunks } = await text(auditCsvStream(auditLogBatches({}, { action: `${ns}.` }, 3)));
    expect(chunks).toBe(1 + 3); // the header, then batches of 3, 3 and 2
    expect((parse(csv, { columns: true }) as Record<string, string>[]).map((r) => r.target)).toEqual(Array.from({ length: 8 }, (_, i) => `row ${7 - i}`));
  });

  it("the routes: a download named with the date, for those who may read the log; the export is recorded", async () => {
    const f = await tenantWithEveryone();
    const ns = namespace();
    await write([{ tenantId: f.tenantId, action: `${ns}.one`, target: "t1" }]);
    const params = new URLSearchParams({ action: `${ns}.` });

    const tenantCsv = await tenantAuditCsvResponse(f.people.admin, f.slug, params);
    expect(tenantCsv.status).toBe(200);
    expect(tenantCsv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const today = new Date().toISOString().slice(0, 10);
    expect(tenantCsv.headers.get("content-disposition")).toBe(`attachment; filename="audit-${f.slug}-${today}.csv"`);
    expect((parse(await tenantCsv.text(), { columns: true }) as Record<string, string>[]).map((r) => r.target)).toEqual(["t1"]);
    const recorded = await tenantAuditLog(f.people.owner, f.slug, { action: "audit.export" });
    expect(recorded.entries[0]).toMatchObject({ actor: f.people.admin.email, target: f.slug, details: { action: `${ns}.` } });

    expect((await tenantAuditCsvResponse(null, f.slug, params)).status).toBe(401);
    expect((await tenantAuditCsvResponse(f.people.editor, f.slug, params)).status).toBe(403);
    expect((await tenantAuditCsvResponse(f.people.outsider, f.slug, params)).status).toBe(404);
    expect((await tenantAuditCsvResponse(f.people.owner, f.slug, new URLSearchParams({ since: "soon" }))).status).toBe(422);

    const platformCsv = await platformAuditCsvResponse(f.people.platform, params);
    expect(platformCsv.status).toBe(200);
    expect(platformCsv.headers.get("content-disposition")).toBe(`attachment; filename="audit-platform-${today}.csv"`);
    expect((parse(await platformCsv.text(), { columns: true }) as Record<string, string>[]).map((r) => [r.target, r.tenant])).toEqual([["t1", f.slug]]);
    expect((await platformAuditCsvResponse(f.people.owner, params)).status).toBe(404);
    expect((await platformAuditCsvResponse(null, params)).status).toBe(401);
    // A refused filter records nothing.
    const before = await db().auditLog.count({ where: { action: "audit.export", actorId: f.people.platform.userId } });
    expect((await platformAuditCsvResponse(f.people.platform, new URLSearchParams({ until: "never" }))).status).toBe(422);
    expect(await db().auditLog.count({ where: { action: "audit.export", actorId: f.people.platform.userId } })).toBe(before);
    await expect(platformAuditExport(f.people.owner, {})).rejects.toThrow(NotFoundError);
  });
});

describe("signing in and out", () => {
  const PASSWORD = "a good long password";
  let nextAddress = 0;
  const address = () => `2001:db8:a0d1:${process.pid.toString(16)}:${(++nextAddress).toString(16)}::1`;
  const entriesFor = (target: string) => db().auditLog.findMany({ where: { target }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });

  async function account() {
    const email = `${uniqueLabel("u")}@example.test`;
    const user = await db().user.create({ data: { email, passwordHash: await hashPassword(PASSWORD) } });
    return { user, principal: { userId: user.id, email, isPlatformAdmin: false } as Principal };
  }

  async function refused(work: Promise<unknown>) {
    await expect(work).rejects.toThrow();
  }

  it("records each failure with the email tried, the client address and why, never the password", async () => {
    const { user } = await account();
    const from = address();
    await refused(verifySignIn({ email: user.email, password: "wrong guess 1" }, from));
    const ghost = `${uniqueLabel("ghost")}@example.test`;
    await refused(verifySignIn({ email: ghost, password: "wrong guess 2" }, from));
    await db().user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    await refused(verifySignIn({ email: user.email, password: PASSWORD }, from));

    const failures = await entriesFor(user.email);
    expect(failures.map((e) => [e.action, e.actorId, e.actorLabel, e.clientAddress, e.details])).toEqual([
      ["user.sign-in.failure", null, user.email, from, { reason: "wrong-password" }],
      ["user.sign-in.failure", null, user.email, from, { reason: "disabled" }],
    ]);
    expect((await entriesFor(ghost)).map((e) => e.details)).toEqual([{ reason: "unknown-email" }]);
    const all = JSON.stringify([...failures, ...(await entriesFor(ghost))]);
    expect(all).not.toContain("wrong guess");
    expect(all).not.toContain(PASSWORD);
  });

  it("a password typed into the email field is not recorded", async () => {
    const from = address();
    const secret = `hunter2-${uniqueLabel()}`;
    await refused(verifySignIn({ email: secret, password: "whatever" }, from));
    const entry = await db().auditLog.findFirstOrThrow({ where: { action: "user.sign-in.failure", clientAddress: from } });
    expect(entry).toMatchObject({ target: "(not an email address)", actorLabel: "(not an email address)" });
    expect(JSON.stringify(entry)).not.toContain(secret);
  });

  it("records throttled attempts once per email and address per window, not once per request", async () => {
    const { user } = await account();
    const from = address();
    for (let i = 0; i < ACCOUNT_FAILURE_LIMIT; i++) await expect(verifySignIn({ email: user.email, password: `no ${i}` }, from)).rejects.toThrow(SIGN_IN_FAILED);
    for (let i = 0; i < 3; i++) await expect(verifySignIn({ email: user.email, password: PASSWORD }, from)).rejects.toThrow(/Too many failed sign-in attempts/);
    const reasons = (await entriesFor(user.email)).map((e) => (e.details as { reason: string }).reason);
    expect(reasons).toEqual([...Array(ACCOUNT_FAILURE_LIMIT).fill("wrong-password"), "throttled"]);
    // From another address: recorded again.
    await expect(verifySignIn({ email: user.email, password: PASSWORD }, address())).rejects.toThrow(/Too many/);
    expect((await entriesFor(user.email)).filter((e) => (e.details as { reason: string }).reason === "throttled")).toHaveLength(2);
  });

  it("records a sign-in and a sign-out with the client address; signing out ends the session", async () => {
    const { user } = await account();
    const from = address();
    await verifySignIn({ email: user.email, password: PASSWORD }, from);
    const sid = await startAuthSession(user.id);
    await signOutSession({ sessionId: sid, userId: user.id }, from);
    expect(await userOfAuthSession(sid)).toBeNull();
    // next-auth's signOut event, as the sign-out request runs it (no request scope here: no address).
    const other = await startAuthSession(user.id);
    await authOptions.events!.signOut!({ token: { sid: other, sub: user.id }, session: undefined as never });
    expect(await userOfAuthSession(other)).toBeNull();

    expect((await entriesFor(user.email)).map((e) => [e.action, e.actorId, e.clientAddress, e.details])).toEqual([
      ["user.sign-in", user.id, from, {}],
      ["user.sign-out", user.id, from, { sessionEnded: true }],
      ["user.sign-out", user.id, null, { sessionEnded: true }],
    ]);
  });

  it("a password change carries the client address", async () => {
    const { user, principal } = await account();
    await changeOwnPassword({ ...principal, clientAddress: "192.0.2.99" }, { currentPassword: PASSWORD, newPassword: "another good password" });
    expect((await entriesFor(user.email)).map((e) => [e.action, e.actorId, e.clientAddress])).toEqual([["user.password", user.id, "192.0.2.99"]]);
  });
});

describe("npm run cli -- audit ls", () => {
  it("lists newest first, filtered by --tenant, --action and --since, or as CSV with --csv", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const ns = namespace();
    const staff = await person({ platform: true });
    await write([
      { tenantId: tenant.id, action: `${ns}.first`, target: "=1+1", actorLabel: staff.email, clientAddress: "192.0.2.5", details: { why: "a, b" } },
      { tenantId: other.id, action: `${ns}.elsewhere` },
      { tenantId: tenant.id, action: `${ns}.second`, target: "two" },
    ]);
    const [first] = await db().auditLog.findMany({ where: { action: `${ns}.first` } });

    const byTenant = await cli("audit", "ls", "--tenant", tenant.slug);
    expect(byTenant.code).toBe(0);
    const lines = byTenant.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^\\S+Z ${tenant.slug} ${ns}\\.second two by test$`));
    expect(lines[1]).toBe(`${first.createdAt.toISOString()} ${tenant.slug} ${ns}.first =1+1 by ${staff.email} from 192.0.2.5 {"why":"a, b"}`);

    const byAction = await cli("audit", "ls", "--action", `${ns}.`, "--since", first.createdAt.toISOString());
    expect(byAction.stdout.trim().split("\n").map((l) => l.split(" ")[2])).toEqual([`${ns}.second`, `${ns}.elsewhere`, `${ns}.first`]);
    expect((await cli("audit", "ls", "--action", `${ns}.`, "--since", "2999-01-01")).stdout.trim()).toBe("no entries");

    const csv = await cli("audit", "ls", "--tenant", tenant.slug, "--action", `${ns}.`, "--csv");
    expect(csv.code).toBe(0);
    const rows = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.action, r.target, r.tenant, r.actor, r.client_address, r.details])).toEqual([
      [`${ns}.second`, "two", tenant.slug, "test", "", "{}"],
      [`${ns}.first`, "'=1+1", tenant.slug, staff.email, "192.0.2.5", '{"why":"a, b"}'],
    ]);

    const bad = await cli("audit", "ls", "--since", "last tuesday");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: since: not a date/);
    expect((await cli("audit", "ls", "extra")).code).toBe(2);
  }, 240_000);
});
