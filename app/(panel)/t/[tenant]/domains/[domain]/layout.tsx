// Every page of a domain: its name, where it is registered and which nameservers the world is
// sent to (the two things users confuse), a loud warning when it is expiring or not resolving,
// and the tabs.
import Link from "next/link";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { domainHeader } from "@/lib/registrar/overview.ts";
import { orNotFound } from "@/app/_lib/guards.ts";
import { Badge, Notice, PageTitle } from "@/app/_components/ui.tsx";
import { DomainTabs } from "./domain-tabs.tsx";

type Params = { tenant: string; domain: string };

export async function generateMetadata({ params }: { params: Promise<Params> }) {
  return { title: `${(await params).domain} · DNS panel` };
}

export default async function DomainLayout({ children, params }: { children: React.ReactNode; params: Promise<Params> }) {
  const ref = await params;
  const principal = await requirePrincipal();
  const header = await orNotFound(domainHeader(principal, ref));
  const { domain, tenant, registration, lifecycle, delegation, usage } = header;
  const base = `/t/${tenant.slug}/domains/${domain.name}`;
  // Which nameservers the world is sent to: ours, others, nobody (not delegated), or not known yet.
  const delegationBadge =
    delegation?.mode === "none" || registration?.status === "redemption" ? (
      <Badge tone="warning">Not delegated</Badge>
    ) : usage.inUse === null ? (
      <Badge tone="neutral">Delegation not checked yet</Badge>
    ) : usage.inUse && delegation?.mode === "hosted" ? (
      <Badge tone="success">Uses our nameservers</Badge>
    ) : usage.inUse ? (
      <Badge tone="warning">Partly our nameservers</Badge>
    ) : (
      <Badge tone="warning">Delegated to other nameservers</Badge>
    );
  return (
    <>
      <p className="mb-1 text-sm">
        <Link href={`/t/${tenant.slug}/domains`} className="text-blue-700 hover:underline dark:text-blue-300">
          ← Domains
        </Link>
      </p>
      <PageTitle
        sub={
          <span className="flex flex-wrap items-center gap-2" data-testid="domain-badges">
            {registration ? (
              <Badge tone={registration.status === "active" ? "info" : "warning"}>Registered here</Badge>
            ) : delegation?.mode === "none" ? (
              <Badge tone="neutral">Not registered</Badge>
            ) : (
              <Badge tone="neutral">Registered elsewhere</Badge>
            )}
            {delegationBadge}
          </span>
        }
      >
        {domain.name}
      </PageTitle>
      {lifecycle && lifecycle.tone === "danger" && (
        <Notice tone="error" className="mb-4" testId="lifecycle-warning">
          {lifecycle.text}
        </Notice>
      )}
      <DomainTabs base={base} />
      {children}
    </>
  );
}
