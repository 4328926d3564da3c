// A domain's records (what our nameservers answer), with the delegation that decides whether
// the world asks them at all: when it does not, the page says so above the table, every visit.
import Link from "next/link";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { hostingConfig } from "@/lib/config.ts";
import { relativeName } from "@/lib/dns/names.ts";
import { grantAllows } from "@/lib/permissions.ts";
import { domainHeader } from "@/lib/registrar/overview.ts";
import { RECORDS_PAGE_SIZE, recordsPage } from "@/lib/zone/records-table.ts";
import { orNotFound } from "@/app/_lib/guards.ts";
import { Explainer, Notice } from "@/app/_components/ui.tsx";
import { RecordsWorkspace } from "./records-workspace.tsx";
import { RemoveDomain } from "../remove-domain.tsx";

type Params = { tenant: string; domain: string };

export default async function RecordsPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ref = await params;
  const principal = await requirePrincipal();
  const header = await orNotFound(domainHeader(principal, ref));
  const base = `/t/${header.tenant.slug}/domains/${header.domain.name}`;
  const canManage = grantAllows(header.grant, "domain:manage", header.tenant);
  if (!header.zone) {
    return (
      <Notice tone="warning" testId="no-zone">
        {header.domain.name} has no zone here: its records were removed when it was delegated elsewhere.{" "}
        {header.registration ? (
          <>
            Switching it back to <Link className="underline" href={`${base}/nameservers`}>our nameservers</Link> creates a fresh one.
          </>
        ) : null}
      </Notice>
    );
  }
  const data = await orNotFound(recordsPage(principal, ref, await searchParams));
  const { zone, tenant, grant } = data;
  const config = hostingConfig();
  const canEdit = grantAllows(grant, "zone:edit", tenant);
  const inUse = header.usage.inUse !== false;
  return (
    <>
      {header.usage.message && (
        <Notice tone="warning" className="mb-4" testId="records-not-used">
          {header.usage.message}{" "}
          <Link className="underline" href={header.registration ? `${base}/nameservers` : base}>
            {header.registration ? "Nameservers" : "Delegation check"}
          </Link>
        </Notice>
      )}
      <div className="mb-4 grid gap-2 md:grid-cols-3">
        <Explainer summary="Records here, delegation at the registry">
          <p>
            These records live in the zone on our nameservers ({config.nameservers.join(", ")}). They are what the world sees only while the
            registry delegates {zone.name} to those nameservers{inUse ? "." : "; today it does not, so these records are not used."}
          </p>
          <p>
            NS records at <code>@</code> list this zone&apos;s nameservers; NS records on a subdomain hand that subdomain to other nameservers. A,
            AAAA, CNAME, MX and TXT records are the answers themselves.
          </p>
        </Explainer>
        <Explainer summary="TTL: why changes are not seen everywhere at once">
          <p>
            Resolvers cache each answer for its TTL. After a change, our nameservers serve the new data within milliseconds, but a resolver that
            asked before may keep the old answer until that TTL runs out. Nothing &ldquo;propagates&rdquo;: caches expire.
          </p>
          <p>Lower a record&apos;s TTL a day ahead of a planned move, and raise it again afterwards.</p>
        </Explainer>
        <Explainer summary="The SOA serial is managed for you">
          <p>
            Every change bumps the zone&apos;s SOA serial once (YYYYMMDDnn), so secondary nameservers know there is a new version. You never edit
            it; the status line shows whether our nameservers already serve the latest serial.
          </p>
        </Explainer>
      </div>

      <RecordsWorkspace
        tenant={tenant.slug}
        zone={zone.name}
        defaultTtl={config.defaultTtl}
        canEdit={canEdit}
        serial={Number(zone.serial)}
        rows={data.rows.map((r) => ({ id: r.id, name: relativeName(r.name, zone.name), type: r.type, ttl: r.ttl, content: r.content, version: r.version }))}
        total={data.total}
        zoneTotal={data.zoneTotal}
        page={data.query.page}
        pages={data.pages}
        pageSize={RECORDS_PAGE_SIZE}
        query={{ name: data.query.name, type: data.query.type, q: data.query.q, sort: data.query.sort, dir: data.query.dir }}
      />
      {!canEdit && (
        <p className="mt-4 text-sm text-slate-500 dark:text-slate-400" data-testid="read-only-note">
          {tenant.status === "suspended" ? "Changes are disabled while this tenant is suspended." : `Your role (${grant.role}) can view records but not change them.`}
        </p>
      )}
      {canManage && <RemoveDomain tenant={tenant.slug} domain={zone.name} registered={!!header.registration} />}
    </>
  );
}
