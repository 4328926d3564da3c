// A domain's overview: its registration, the nameservers in use, whether the world asks them
// (the delegation check), its records at a glance, and what changed recently — each change with
// the time by which every resolver sees it.
import Link from "next/link";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { relativeName } from "@/lib/dns/names.ts";
import { grantAllows } from "@/lib/permissions.ts";
import { yearsOfRoom } from "@/lib/registry/lifecycle.ts";
import { domainOverview, type ActivityEntry } from "@/lib/registrar/overview.ts";
import { orNotFound } from "@/app/_lib/guards.ts";
import { Card, Explainer, Notice } from "@/app/_components/ui.tsx";
import { RelativeTime } from "@/app/_components/relative-time.tsx";
import { VisibleBy } from "@/app/_components/visible-by.tsx";
import { DelegationCheck } from "./delegation-check.tsx";
import { RegistrationPanel } from "./registration-panel.tsx";

type Params = { tenant: string; domain: string };

function Activity({ entry, zone }: { entry: ActivityEntry; zone: string }) {
  return (
    <li className="border-b border-slate-100 py-2 last:border-0 dark:border-slate-800" data-testid="activity-entry">
      <p className="flex flex-wrap gap-x-3 text-xs text-slate-500 dark:text-slate-400">
        <RelativeTime date={entry.at.toISOString()} absolute />
        <span>by {entry.who}</span>
        {entry.kind === "records" ? <span className="font-mono">serial {entry.serial}</span> : <span>registry</span>}
        {entry.visibleAt && <VisibleBy at={entry.visibleAt.toISOString()} />}
      </p>
      {entry.kind === "registry" ? (
        <p>{entry.summary}</p>
      ) : (
        <ul className="font-mono text-xs">
          {entry.lines.slice(0, 5).map((line, i) => (
            <li key={i} className="break-all">
              {line.kind === "added" ? "+ " : line.kind === "removed" ? "− " : "~ "}
              {(() => {
                const r = line.kind === "removed" ? line.before : line.after;
                return `${relativeName(r.name, zone)} ${r.ttl} ${r.type} ${r.content}`;
              })()}
            </li>
          ))}
          {entry.lines.length > 5 && <li>… and {entry.lines.length - 5} more</li>}
        </ul>
      )}
    </li>
  );
}

export default async function DomainOverviewPage({ params }: { params: Promise<Params> }) {
  const ref = await params;
  const principal = await requirePrincipal();
  const o = await orNotFound(domainOverview(principal, ref));
  const base = `/t/${o.tenant.slug}/domains/${o.domain.name}`;
  const canManage = grantAllows(o.grant, "domain:manage", o.tenant);
  const reg = o.registration;
  const nameservers = o.delegation?.mode === "external" ? o.delegation.nameservers : o.ourNameservers;
  return (
    <div className="space-y-4">
      {o.usage.message && (
        <Notice tone="warning" testId="records-not-used">
          {o.usage.message}
        </Notice>
      )}
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Registration">
          {reg ? (
            <RegistrationPanel
              tenant={o.tenant.slug}
              domain={o.domain.name}
              canManage={canManage}
              registration={{
                status: reg.status,
                statuses: reg.statuses,
                registeredAt: reg.registeredAt.toISOString(),
                expiresAt: reg.expiresAt.toISOString(),
                graceEndsAt: reg.graceEndsAt.toISOString(),
                releaseAt: reg.releaseAt?.toISOString() ?? null,
                autoRenew: reg.autoRenew,
                transferLock: reg.transferLock,
                renewableYears: yearsOfRoom(reg.expiresAt, new Date()),
              }}
            />
          ) : o.delegation?.mode === "none" ? (
            <p className="text-sm">
              {o.domain.name} is no longer registered: its registration ended and the name was released. Its zone and records are kept here
              {o.registryTld ? "; you can register it again if it is still available." : "."}
            </p>
          ) : (
            <div className="space-y-2 text-sm">
              <p>
                Registered elsewhere: its registrar holds the registration (renewal, locks, auth code) and its delegation. We host its zone.
              </p>
              <p>To have the world use the records here, set its nameservers at that registrar to:</p>
              <ul className="font-mono">
                {o.ourNameservers.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            </div>
          )}
        </Card>
        <Card title="Nameservers" actions={reg && canManage ? <Link className="text-sm text-blue-700 hover:underline dark:text-blue-300" href={`${base}/nameservers`}>Change nameservers</Link> : undefined}>
          <div className="space-y-2 text-sm">
            <p>
              {o.delegation?.mode === "none"
                ? "None: the parent zone does not delegate it."
                : o.delegation?.mode === "external"
                  ? "Custom nameservers (not ours): the parent zone sends resolvers to"
                  : reg
                    ? "Our nameservers: the parent zone sends resolvers to"
                    : "This zone is served by our nameservers:"}
            </p>
            {o.delegation?.mode !== "none" && (
              <ul className="font-mono" data-testid="nameservers-in-use">
                {nameservers.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            )}
            {o.delegation?.hostedUntil && o.delegation.hostedUntil > new Date() && (
              <p className="text-slate-600 dark:text-slate-400">
                Our nameservers keep answering from this zone until <RelativeTime date={o.delegation.hostedUntil.toISOString()} absolute /> for resolvers
                that cached the previous delegation; then they refuse it.
              </p>
            )}
            {o.zone ? (
              <p>
                Zone: {o.zone.records} records, serial <span className="font-mono">{o.zone.serial}</span>.{" "}
                <Link className="text-blue-700 hover:underline dark:text-blue-300" href={`${base}/records`}>
                  Edit records
                </Link>
              </p>
            ) : (
              <p>No zone here.</p>
            )}
          </div>
        </Card>
      </div>

      <Card title="Delegation check">
        <DelegationCheck
          tenant={o.tenant.slug}
          domain={o.domain.name}
          initial={o.lastCheck}
          registeredHere={!!reg}
          records={o.zone?.records ?? null}
          ourNameservers={o.ourNameservers}
        />
      </Card>

      <Explainer summary="Delegation or records: which one is this?">
        <p>
          <strong>Delegation</strong> (the NS records in the parent zone, {o.registryTld ? `.${o.registryTld}` : "e.g. .com"}) says which nameservers answer
          for {o.domain.name}. It is set at the registrar: {reg ? "here, on the Nameservers tab" : "at the domain's registrar"}.
        </p>
        <p>
          <strong>Records</strong> (A, AAAA, MX, TXT…) are the answers, in the zone on those nameservers. You edit them on the Records tab; they are
          what the world sees only while the delegation points at our nameservers.
        </p>
        <p>Resolvers cache both for their TTL: a change is visible everywhere once the old cached copy expires, at the time shown beside it.</p>
      </Explainer>

      <Card title="Recent activity" actions={<Link className="text-sm text-blue-700 hover:underline dark:text-blue-300" href={`${base}/history`}>Full history</Link>}>
        {o.activity.length ? (
          <ul className="text-sm">
            {o.activity.map((entry) => (
              <Activity key={entry.id} entry={entry} zone={o.domain.name} />
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-500">Nothing yet.</p>
        )}
      </Card>
    </div>
  );
}
