// A domain: its delegation (who answers for it) above its records (what they answer).
import Link from "next/link";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { hostingConfig } from "@/lib/config.ts";
import { relativeName } from "@/lib/dns/names.ts";
import { grantAllows } from "@/lib/permissions.ts";
import { RECORDS_PAGE_SIZE, recordsPage } from "@/lib/zone/records-table.ts";
import { orNotFound } from "@/app/_lib/guards.ts";
import { Badge, Explainer, PageTitle } from "@/app/_components/ui.tsx";
import { RecordsWorkspace } from "./records-workspace.tsx";
import { RemoveDomain } from "./remove-domain.tsx";

type Params = { tenant: string; domain: string };

export async function generateMetadata({ params }: { params: Promise<Params> }) {
  return { title: `${(await params).domain} · DNS panel` };
}

export default async function DomainPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ref = await params;
  const principal = await requirePrincipal();
  const data = await orNotFound(recordsPage(principal, ref, await searchParams));
  const { zone, tenant, grant, delegation } = data;
  const config = hostingConfig();
  const hosted = delegation?.mode === "hosted";
  const canEdit = grantAllows(grant, "zone:edit", tenant);
  return (
    <>
      <p className="mb-1 text-sm">
        <Link href={`/t/${tenant.slug}/domains`} className="text-blue-700 hover:underline dark:text-blue-300">
          ← Domains
        </Link>
      </p>
      <PageTitle
        sub={
          <span className="flex flex-wrap items-center gap-2">
            {hosted ? <Badge tone="success">Uses our nameservers</Badge> : <Badge tone="warning">Delegated to external nameservers</Badge>}
            <span>
              Delegation at the registry: <span className="font-mono">{(delegation?.nameservers ?? []).join(", ") || "none"}</span>
            </span>
            <Link href={`/t/${tenant.slug}/domains/${zone.name}/history`} className="text-blue-700 hover:underline dark:text-blue-300">
              Change history
            </Link>
          </span>
        }
      >
        {zone.name}
      </PageTitle>

      <div className="mb-4 grid gap-2 md:grid-cols-3">
        <Explainer summary="Records here, delegation at the registry">
          <p>
            These records live in the zone on our nameservers ({config.nameservers.join(", ")}). They are what the world sees only while the
            registry delegates {zone.name} to those nameservers{hosted ? " — it does." : "; today it delegates elsewhere, so these records are not used."}
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
      {grantAllows(grant, "domain:manage", tenant) && zone.domainId && <RemoveDomain tenant={tenant.slug} domain={zone.name} />}
    </>
  );
}
