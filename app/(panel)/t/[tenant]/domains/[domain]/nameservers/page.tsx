// Which nameservers the parent zone names for the domain: ours or custom ones. A delegation is
// registration data: it changes here only for domains registered here; for a domain
// registered elsewhere the page says what to set at its registrar.
import Link from "next/link";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { grantAllows } from "@/lib/permissions.ts";
import { domainOverview } from "@/lib/registrar/overview.ts";
import { registryTlds } from "@/lib/registry/tlds.ts";
import { orNotFound } from "@/app/_lib/guards.ts";
import { Card, Notice } from "@/app/_components/ui.tsx";
import { NameserversForm } from "./nameservers-form.tsx";

type Params = { tenant: string; domain: string };

export default async function NameserversPage({ params }: { params: Promise<Params> }) {
  const ref = await params;
  const principal = await requirePrincipal();
  const o = await orNotFound(domainOverview(principal, ref));
  const reg = o.registration;
  const canManage = grantAllows(o.grant, "domain:manage", o.tenant);
  if (!reg) {
    return (
      <Card title="Nameservers">
        <div className="space-y-2 text-sm">
          {o.delegation?.mode === "none" ? (
            <p>{o.domain.name} is not registered any more, so nothing delegates it.</p>
          ) : (
            <>
              <p>
                {o.domain.name} is registered at another registrar: its nameservers are set there, not here. To use the records you edit here,
                set them to:
              </p>
              <ul className="font-mono">
                {o.ourNameservers.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
              <p>
                The <Link className="text-blue-700 underline dark:text-blue-300" href={`/t/${o.tenant.slug}/domains/${o.domain.name}`}>delegation check</Link> on the
                overview shows whether it is done.
              </p>
            </>
          )}
        </div>
      </Card>
    );
  }
  const glue: Record<string, string[]> = Object.fromEntries(o.hosts.map((h) => [h.name, [...h.ipv4, ...h.ipv6]]));
  return (
    <div className="space-y-4">
      {reg.status === "redemption" && <Notice tone="error">The delegation was removed when the grace period ended: restore the domain (Overview) before changing its nameservers.</Notice>}
      <Card title="Nameservers">
        {canManage && reg.status !== "redemption" ? (
          <NameserversForm
            tenant={o.tenant.slug}
            domain={o.domain.name}
            ours={o.ourNameservers}
            mode={reg.mode}
            current={reg.nameservers.map((n) => n.name)}
            glue={glue}
            delegationTtl={reg.delegationTtl}
            tlds={await registryTlds()}
          />
        ) : (
          <div className="space-y-2 text-sm" data-testid="nameservers-read-only">
            <p>{reg.mode === "hosted" ? "Our nameservers:" : "Custom nameservers:"}</p>
            <ul className="font-mono">
              {reg.nameservers.map((n) => (
                <li key={n.name}>
                  {n.name}
                  {n.ipv4.length + n.ipv6.length ? ` (${[...n.ipv4, ...n.ipv6].join(", ")})` : ""}
                </li>
              ))}
            </ul>
            {!canManage && <p className="text-slate-500">Owners and admins change the nameservers.</p>}
          </div>
        )}
      </Card>
      {o.hosts.length > 0 && (
        <Card title={`Hosts inside ${o.domain.name}`}>
          <p className="mb-2 text-sm text-slate-600 dark:text-slate-400">
            Nameserver hosts registered under this domain, with the addresses the registry publishes as glue. A host still used by a domain cannot be
            deleted.
          </p>
          <ul className="space-y-1 text-sm" data-testid="hosts">
            {o.hosts.map((h) => (
              <li key={h.name}>
                <span className="font-mono">{h.name}</span> {[...h.ipv4, ...h.ipv6].join(", ")}
                <span className="text-slate-500"> · used by {h.usedBy.length ? h.usedBy.join(", ") : "no domain"}</span>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}
