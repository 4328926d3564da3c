// The tenant's domains: delegation (our nameservers or external), records, serial, last change.
import Link from "next/link";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { listDomains } from "@/lib/domains.ts";
import { grantAllows } from "@/lib/permissions.ts";
import { orNotFound } from "@/app/_lib/guards.ts";
import { Badge, Card, Explainer, PageTitle, Table, Th } from "@/app/_components/ui.tsx";
import { RelativeTime } from "@/app/_components/relative-time.tsx";
import { registryTlds } from "@/lib/registry/tlds.ts";
import { hostingConfig } from "@/lib/config.ts";
import { AddDomainForm } from "./add-domain-form.tsx";
import { RegisterDomain } from "./register-domain.tsx";
import type { DomainRow } from "@/lib/domains.ts";

/** Where a domain is registered, and what to know about it, in a few words. */
function RegistrationCell({ d }: { d: DomainRow }) {
  if (!d.registration) {
    return d.delegation === "none" ? <Badge tone="neutral">Not registered</Badge> : <span className="text-slate-600 dark:text-slate-400">Elsewhere</span>;
  }
  const until = d.registration.expiresAt.toISOString().slice(0, 10);
  if (d.registration.status === "grace") return <Badge tone="warning">Expired {until}: renew</Badge>;
  if (d.registration.status === "redemption") return <Badge tone="warning">Not resolving: restore</Badge>;
  return (
    <span>
      Here, until {until}
      {d.registration.autoRenew ? "" : <span className="text-slate-500"> (no auto-renew)</span>}
    </span>
  );
}

function NameserversCell({ d }: { d: DomainRow }) {
  if (d.delegation === "none") return <span className="text-slate-500">–</span>;
  // For a domain registered elsewhere, "ours" is what it should use; the last check says whether it does.
  const elsewhereNotUsingUs = !d.registration && d.checkedUsesOurs === false;
  return (
    <>
      {d.delegation === "hosted" && !elsewhereNotUsingUs ? <Badge tone="success">Our nameservers</Badge> : <Badge tone="warning">External</Badge>}
      <div className="mt-0.5 font-mono text-xs text-slate-500 dark:text-slate-400">{elsewhereNotUsingUs ? "the registry does not send resolvers to ours" : d.nameservers.join(", ")}</div>
    </>
  );
}

export default async function DomainsPage({ params, searchParams }: { params: Promise<{ tenant: string }>; searchParams: Promise<{ q?: string }> }) {
  const { tenant: slug } = await params;
  const { q = "" } = await searchParams;
  const principal = await requirePrincipal();
  const { tenant, grant, domains } = await orNotFound(listDomains(principal, slug, typeof q === "string" ? q : ""));
  const canManage = grantAllows(grant, "domain:manage", tenant);
  const tlds = await registryTlds();
  return (
    <>
      <PageTitle sub="Each domain has a delegation (at the registry) and a zone of records (on the nameservers).">Domains</PageTitle>
      <Explainer summary="Delegation or records: which one do I change?" className="mb-4">
        <p>
          <strong>Delegation</strong> lives at the registry of the parent zone (for example <code>.com</code>): it says which nameservers answer for
          your domain. You change it at your registrar.
        </p>
        <p>
          <strong>Records</strong> (A, AAAA, CNAME, MX, TXT…) live in the zone, on those nameservers. You change them here when the domain uses our
          nameservers. If it is delegated to external nameservers, records you edit here are not what the world sees.
        </p>
      </Explainer>
      <form role="search" className="mb-4 flex gap-2" action="">
        <label htmlFor="domain-search" className="sr-only">
          Search domains
        </label>
        <input
          id="domain-search"
          name="q"
          type="search"
          defaultValue={q}
          placeholder="Search domains"
          className="w-full max-w-sm rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-900"
        />
        <button type="submit" className="rounded-md border border-slate-300 px-3 text-sm dark:border-slate-600">
          Search
        </button>
      </form>
      <Table
        label="Domains"
        head={
          <>
            <Th>Domain</Th>
            <Th>Registration</Th>
            <Th>Nameservers</Th>
            <Th className="text-right">Records</Th>
            <Th className="text-right">Serial</Th>
            <Th>Last change</Th>
          </>
        }
      >
        {domains.map((d) => (
          <tr key={d.name}>
            <td className="px-3 py-2 font-medium">
              <Link href={`/t/${tenant.slug}/domains/${d.name}`} className="text-blue-700 hover:underline dark:text-blue-300">
                {d.name}
              </Link>
            </td>
            <td className="px-3 py-2">
              <RegistrationCell d={d} />
            </td>
            <td className="px-3 py-2">
              <NameserversCell d={d} />
            </td>
            <td className="px-3 py-2 text-right tabular-nums">{d.records}</td>
            <td className="px-3 py-2 text-right font-mono tabular-nums">{d.serial ?? "–"}</td>
            <td className="px-3 py-2 text-slate-600 dark:text-slate-400">
              {d.lastChangeAt ? (
                <>
                  <RelativeTime date={d.lastChangeAt.toISOString()} /> by {d.lastChangeBy}
                </>
              ) : (
                "–"
              )}
            </td>
          </tr>
        ))}
        {domains.length === 0 && (
          <tr>
            <td colSpan={6} className="px-3 py-6 text-center text-slate-500">
              {q ? `No domain matches "${q}".` : "No domains yet."}
            </td>
          </tr>
        )}
      </Table>
      {canManage && (
        <div className="mt-6 grid gap-4 lg:grid-cols-2">
          {tlds.length > 0 && (
            <Card title="Register a domain">
              <RegisterDomain tenant={tenant.slug} tlds={tlds} />
            </Card>
          )}
          <Card title="Host a domain registered elsewhere">
            <AddDomainForm tenant={tenant.slug} nameservers={hostingConfig().nameservers} />
          </Card>
        </div>
      )}
    </>
  );
}
