// One tenant, for platform admins: who its members are, its domains, usage against its quotas,
// recent changes and audit entries; rename, suspend or lift, move a domain, delete it when empty.
// Opening this page is audited (lib/tenancy/tenants.ts tenantDetail), every time.
import Link from "next/link";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { platformAuditLog } from "@/lib/audit/queries.ts";
import { relativeName } from "@/lib/dns/names.ts";
import type { Principal } from "@/lib/permissions.ts";
import { tenantDetail } from "@/lib/tenancy/tenants.ts";
import { firstValue } from "@/lib/validation.ts";
import { orNotFound } from "@/app/_lib/guards.ts";
import { Badge, Card, Notice, PageTitle, Table, Th } from "@/app/_components/ui.tsx";
import { RelativeTime } from "@/app/_components/relative-time.tsx";
import { UsageTable } from "@/app/_components/usage-table.tsx";
import { AuditLogView } from "@/app/_components/audit-table.tsx";
import { TenantStatusBadge } from "../tenant-status.tsx";
import { DeleteTenant, MoveDomain, QuotaForm, RenameTenantForm, ResumeTenantButton, SuspendTenantForm } from "./tenant-controls.tsx";

type Params = { slug: string };
type SearchParams = Record<string, string | string[] | undefined>;

/** The tenant's audit entries, filtered and paged in the URL like /admin/audit (anchored at #audit). */
async function AuditSection({ principal, slug, searchParams }: { principal: Principal; slug: string; searchParams: SearchParams }) {
  return (
    <section id="audit" aria-labelledby="audit-heading" className="mt-6">
      <h2 id="audit-heading" className="mb-2 text-base font-semibold">
        Audit entries
      </h2>
      <Card>
        {/* The platform's log narrowed to this tenant (not the tenant's own view, which hides
            platform staff's addresses from its members): what the CSV link exports too. */}
        <AuditLogView
          load={() => platformAuditLog(principal, { ...searchParams, tenant: slug })}
          path={`/admin/tenants/${slug}`}
          fragment="#audit"
          values={searchParams}
          csvPath="/api/admin/audit/csv"
          showTenant={false}
          label={`Audit entries of ${slug}`}
        />
      </Card>
    </section>
  );
}

export async function generateMetadata({ params }: { params: Promise<Params> }) {
  return { title: `${(await params).slug} · Tenants · Platform admin · DNS panel` };
}

const cell = "px-3 py-2";

export default async function TenantAdminPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<SearchParams> }) {
  const { slug } = await params;
  const query = await searchParams;
  const principal = await requirePrincipal();
  const { tenant, usage, quotas, platformQuotas, members, invitations, domains, recentChanges } = await orNotFound(tenantDetail(principal, slug));
  // After a move (MoveDomain sends the admin here): said only when the domain is indeed here now.
  const moved = firstValue(query.moved);
  const movedFrom = /^[a-z0-9-]{1,40}$/.test(firstValue(query.from) ?? "") ? firstValue(query.from) : null;
  const justMoved = moved && domains.some((d) => d.name === moved) ? moved : null;
  const suspended = tenant.status === "suspended";
  const blockedBy = domains.length > 0 ? `It holds ${domains.length} domain${domains.length === 1 ? "" : "s"}: move or remove ${domains.length === 1 ? "it" : "them"} first.` : null;
  return (
    <>
      <p className="mb-1 text-sm">
        <Link href="/admin/tenants" className="text-blue-700 hover:underline dark:text-blue-300">
          ← Tenants
        </Link>
      </p>
      <PageTitle
        sub={
          <span className="flex flex-wrap items-center gap-2">
            <span className="font-mono">{tenant.slug}</span>
            <TenantStatusBadge status={tenant.status} kind={tenant.suspensionKind} />
            <span>created {tenant.createdAt.toISOString().slice(0, 10)}</span>
            <Link href={`/t/${tenant.slug}/domains`} className="text-blue-700 hover:underline dark:text-blue-300">
              Open {tenant.name}&apos;s pages
            </Link>
          </span>
        }
      >
        {tenant.name}
      </PageTitle>

      {justMoved && (
        <Notice tone="success" className="mb-4">
          Moved {justMoved} here{movedFrom ? ` from ${movedFrom}` : ""}, with its zone, records, history and registration.
        </Notice>
      )}
      {suspended && (
        <Notice tone="warning" className="mb-4" testId="tenant-suspension">
          Suspended for {tenant.suspensionKind ?? "abuse"}
          {tenant.suspendedAt ? (
            <>
              {" "}since <RelativeTime date={tenant.suspendedAt.toISOString()} absolute />
            </>
          ) : null}
          : {tenant.suspensionReason ?? "no reason given"}.{" "}
          {tenant.suspensionKind === "billing" ? "Its domains are still served; changes are refused." : "Its domains are not served (REFUSED); changes are refused."}
        </Notice>
      )}

      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Name">
          <RenameTenantForm slug={tenant.slug} name={tenant.name} />
        </Card>
        <Card title="Suspension">
          <div className="space-y-4">
            {suspended && <ResumeTenantButton slug={tenant.slug} />}
            <SuspendTenantForm
              slug={tenant.slug}
              current={suspended && tenant.suspensionKind ? { kind: tenant.suspensionKind, reason: tenant.suspensionReason ?? "" } : null}
            />
          </div>
        </Card>
      </div>

      <section className="mt-6" aria-labelledby="members-heading">
        <h2 id="members-heading" className="mb-2 text-base font-semibold">
          Members
        </h2>
        <Table
          label="Members"
          head={
            <>
              <Th>Email</Th>
              <Th>Role</Th>
              <Th>Last sign-in</Th>
              <Th>Member since</Th>
            </>
          }
        >
          {members.map((m) => (
            <tr key={m.membershipId}>
              <td className={cell}>
                <span className="break-all">{m.email}</span>
                {m.name && <span className="ml-2 text-xs text-slate-500">{m.name}</span>}
                {m.disabled && (
                  <span className="ml-2">
                    <Badge tone="warning">disabled</Badge>
                  </span>
                )}
              </td>
              <td className={cell}>{m.role}</td>
              <td className={cell}>{m.lastSignInAt ? <RelativeTime date={m.lastSignInAt.toISOString()} /> : <span className="text-slate-400">never</span>}</td>
              <td className={cell}>{m.since.toISOString().slice(0, 10)}</td>
            </tr>
          ))}
          {invitations.map((i) => (
            <tr key={i.id}>
              <td className={cell}>
                <span className="break-all">{i.email}</span> <Badge tone="neutral">invited</Badge>
              </td>
              <td className={cell}>{i.role}</td>
              <td className={cell} colSpan={2}>
                <span className="text-slate-500">invitation valid until {i.expiresAt.toISOString().slice(0, 10)}</span>
              </td>
            </tr>
          ))}
          {members.length === 0 && invitations.length === 0 && (
            <tr>
              <td colSpan={4} className="px-3 py-6 text-center text-slate-500">
                No members.
              </td>
            </tr>
          )}
        </Table>
      </section>

      <section className="mt-6" aria-labelledby="domains-heading">
        <h2 id="domains-heading" className="mb-2 text-base font-semibold">
          Domains
        </h2>
        <Table
          label="Domains"
          head={
            <>
              <Th>Domain</Th>
              <Th>Registration</Th>
              <Th>Delegation</Th>
              <Th className="text-right">Records</Th>
              <Th className="text-right">Serial</Th>
              <Th>
                <span className="sr-only">Move</span>
              </Th>
            </>
          }
        >
          {domains.map((d) => (
            <tr key={d.name}>
              <td className={cell}>
                <Link href={`/t/${tenant.slug}/domains/${d.name}`} className="font-medium text-blue-700 hover:underline dark:text-blue-300">
                  {d.name}
                </Link>
              </td>
              <td className={cell}>
                {d.registration ? (
                  <>
                    registered here · {d.registration.status} · expires {d.registration.expiresAt.toISOString().slice(0, 10)}
                  </>
                ) : (
                  "registered elsewhere"
                )}
              </td>
              <td className={cell}>{d.delegationMode === "hosted" ? "our nameservers" : d.delegationMode === "external" ? "other nameservers" : d.delegationMode === "none" ? "not delegated" : "—"}</td>
              <td className={`${cell} text-right tabular-nums`}>{d.records ?? "no zone"}</td>
              <td className={`${cell} text-right font-mono tabular-nums`}>{d.serial ?? "—"}</td>
              <td className={cell}>
                <MoveDomain domain={d.name} />
              </td>
            </tr>
          ))}
          {domains.length === 0 && (
            <tr>
              <td colSpan={6} className="px-3 py-6 text-center text-slate-500">
                No domains.
              </td>
            </tr>
          )}
        </Table>
      </section>

      <section className="mt-6" aria-labelledby="usage-heading">
        <h2 id="usage-heading" className="mb-2 text-base font-semibold">
          Usage and quotas
        </h2>
        <UsageTable usage={usage} />
        <Card title="Quotas" className="mt-3">
          <QuotaForm slug={tenant.slug} own={quotas} defaults={platformQuotas} />
        </Card>
      </section>

      <Card title="Recent changes" className="mt-6">
        {recentChanges.length === 0 ? (
          <p className="text-sm text-slate-500">No changes to its zones yet.</p>
        ) : (
          <ul className="text-sm">
            {recentChanges.map((c) => (
              <li key={c.id} className="border-b border-slate-100 py-2 last:border-0 dark:border-slate-800" data-testid="tenant-change">
                <p className="flex flex-wrap gap-x-3 text-xs text-slate-500 dark:text-slate-400">
                  <RelativeTime date={c.at.toISOString()} absolute />
                  <span className="font-medium text-slate-700 dark:text-slate-200">{c.zone}</span>
                  <span>by {c.who} ({c.source})</span>
                  <span className="font-mono">
                    serial {c.oldSerial} → {c.newSerial}
                  </span>
                </p>
                <ul className="font-mono text-xs">
                  {c.lines.slice(0, 3).map((line, i) => {
                    const r = line.kind === "removed" ? line.before : line.after;
                    return (
                      <li key={i} className="break-all">
                        {line.kind === "added" ? "+ " : line.kind === "removed" ? "− " : "~ "}
                        {relativeName(r.name, c.zone)} {r.ttl} {r.type} {r.content}
                      </li>
                    );
                  })}
                  {c.lines.length > 3 && <li>… and {c.lines.length - 3} more</li>}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </Card>

      <AuditSection principal={principal} slug={tenant.slug} searchParams={query} />

      <Card title="Delete this tenant" className="mt-8 border-red-200 dark:border-red-900">
        <DeleteTenant slug={tenant.slug} name={tenant.name} blockedBy={blockedBy} />
      </Card>
    </>
  );
}
