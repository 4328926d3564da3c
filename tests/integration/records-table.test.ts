// The records table on a zone of 10,000 records: one page of rows, filtered and sorted in SQL.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db/client.ts";
import { RECORDS_PAGE_SIZE, recordsPage } from "../../lib/zone/records-table.ts";
import type { Principal } from "../../lib/permissions.ts";
import { createZone, uniqueLabel } from "../helpers/factories.ts";

let zone: Awaited<ReturnType<typeof createZone>>;
let viewer: Principal;
let slug: string;

beforeAll(async () => {
  const records = Array.from({ length: 10_000 }, (_, i) => ({ name: `h${String(i).padStart(5, "0")}`, type: "A", ttl: 300 + (i % 7), content: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }));
  records.push({ name: "@", type: "TXT", ttl: 60, content: "100% sure_thing" });
  zone = await createZone(records);
  const tenant = await db().tenant.findFirstOrThrow({ where: { zones: { some: { id: zone.zoneId } } } });
  slug = tenant.slug;
  const user = await db().user.create({ data: { email: `${uniqueLabel("v")}@example.test` } });
  await db().membership.create({ data: { userId: user.id, tenantId: tenant.id, role: "viewer" } });
  viewer = { userId: user.id, email: user.email, isPlatformAdmin: false };
}, 120_000);

const page = (query: Record<string, string | number>) => recordsPage(viewer, { tenant: slug, domain: zone.name }, query);

describe("records table", () => {
  it("pages a 10,000-record zone, apex first", async () => {
    const first = await page({});
    expect(first.total).toBe(10_003); // + 2 apex NS + the TXT
    expect(first.pages).toBe(Math.ceil(10_003 / RECORDS_PAGE_SIZE));
    expect(first.rows).toHaveLength(RECORDS_PAGE_SIZE);
    expect(first.rows.slice(0, 3).map((r) => r.type)).toEqual(["NS", "NS", "TXT"]);
    const last = await page({ page: first.pages });
    expect(last.rows.at(-1)!.name).toBe(`h09999.${zone.name}`);
    expect((await page({ page: 999_999 })).query.page).toBe(first.pages); // clamped
  });

  it("filters by name, type and free text, and sorts", async () => {
    const byName = await page({ name: "h0012" });
    expect(byName.total).toBe(10);
    expect(byName.zoneTotal).toBe(10_003);
    expect((await page({ type: "NS" })).total).toBe(2);
    expect((await page({ q: "10.0.1.1" })).rows.map((r) => r.content)).toContain("10.0.1.1");
    const byTtl = await page({ sort: "ttl", dir: "desc" });
    expect(byTtl.rows[0].ttl).toBe(86400);
    const byContent = await page({ sort: "content", dir: "asc", type: "A" });
    expect(byContent.rows[0].content).toBe("10.0.0.0");
  });

  it("treats % and _ in a search as text, and ignores nonsense in the URL", async () => {
    expect((await page({ q: "100%" })).total).toBe(1);
    expect((await page({ q: "e_t" })).total).toBe(1); // "sure_thing", not "sure-thing"-like matches
    const odd = await page({ sort: "drop table", dir: "sideways", type: "BOGUS", page: "x" });
    expect(odd.query).toMatchObject({ sort: "name", dir: "asc", type: "", page: 1 });
    expect(odd.total).toBe(10_003);
  });
});
