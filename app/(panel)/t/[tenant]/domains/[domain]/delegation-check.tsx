"use client";
// The delegation check as a picture of the chain a resolver follows: the parent zone (where
// the NS are set: the registry) -> the nameservers it names -> the records (the zone they
// serve). Runs when the page opens (short timeouts: the page never waits for it) and on demand.
import { useEffect, useRef, useState, useTransition } from "react";
import type { DelegationCheckResult, Finding } from "@/lib/registrar/delegation-check.ts";
import { Button, Notice, cx } from "@/app/_components/ui.tsx";
import { checkDelegationAction } from "./actions.ts";

/** A previous result younger than this is shown without checking again at once. */
const FRESH_MS = 60_000;

const OK = new Set(["ok", "referral", "authoritative"]);

function Mark({ ok, label }: { ok: boolean; label: string }) {
  return (
    <span className={cx("inline-flex items-center gap-1 rounded px-1 text-xs font-medium", ok ? "bg-green-100 text-green-800 dark:bg-green-900 dark:text-green-100" : "bg-red-100 text-red-800 dark:bg-red-900 dark:text-red-100")}>
      <span aria-hidden="true">{ok ? "✓" : "✗"}</span>
      {label}
    </span>
  );
}

function Step({ title, where, children }: { title: string; where: string; children: React.ReactNode }) {
  return (
    <section className="min-w-0 flex-1 rounded-md border border-slate-200 p-3 dark:border-slate-700" aria-label={title}>
      <h3 className="font-medium">{title}</h3>
      <p className="mb-2 text-xs text-slate-500 dark:text-slate-400">{where}</p>
      {children}
    </section>
  );
}

const Arrow = () => (
  <div aria-hidden="true" className="flex items-center justify-center text-xl text-slate-400 md:px-1">
    <span className="md:hidden">↓</span>
    <span className="hidden md:inline">→</span>
  </div>
);

function FindingLine({ finding }: { finding: Finding }) {
  const tone = finding.severity === "error" ? "text-red-700 dark:text-red-400" : finding.severity === "warning" ? "text-amber-700 dark:text-amber-400" : "text-slate-600 dark:text-slate-300";
  return (
    <li className={tone}>
      <span className="font-medium">{finding.severity === "error" ? "Problem" : finding.severity === "warning" ? "Warning" : "Note"}:</span> {finding.message}
    </li>
  );
}

export function DelegationCheck(props: { tenant: string; domain: string; initial: DelegationCheckResult | null; registeredHere: boolean; records: number | null; ourNameservers: string[] }) {
  const [result, setResult] = useState<DelegationCheckResult | null>(props.initial);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const started = useRef(false);

  function check() {
    startTransition(async () => {
      const state = await checkDelegationAction({ tenant: props.tenant, domain: props.domain });
      if (state.ok) {
        setResult(state.result);
        setError(null);
      } else setError(state.message);
    });
  }

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    if (!props.initial || Date.now() - new Date(props.initial.checkedAt).getTime() > FRESH_MS) check();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const parent = result?.parent;
  const ours = new Set(props.ourNameservers);
  return (
    <div className="space-y-3 text-sm" data-testid="delegation-check" aria-busy={pending}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-slate-600 dark:text-slate-400">
          {result ? (
            <>
              Checked <time dateTime={result.checkedAt}>{new Date(result.checkedAt).toLocaleTimeString()}</time>, as a resolver would: the parent zone first,
              then each nameserver it names.
            </>
          ) : (
            "Not checked yet."
          )}
        </p>
        <Button variant="secondary" onClick={check} disabled={pending}>
          {pending ? "Checking…" : "Check again"}
        </Button>
      </div>
      {error && <Notice tone="error">{error}</Notice>}
      {result && parent && (
        <>
          <div className="flex flex-col gap-2 md:flex-row">
            <Step title={`Parent zone .${parent.zone}`} where={props.registeredHere ? "Delegation: the NS are set here, at the registry (our registrar)" : "Delegation: the NS are set here, at the domain's registrar"}>
              <ul className="space-y-1">
                {parent.servers.map((s, i) => (
                  <li key={i} className="font-mono text-xs">
                    {s.name ?? s.address}
                    {s.address && s.name ? ` (${s.address})` : ""} <Mark ok={OK.has(s.outcome)} label={s.outcome} />
                  </li>
                ))}
              </ul>
              <p className="mt-2">NS for {props.domain}:</p>
              <ul className="font-mono text-xs" data-testid="parent-ns">
                {parent.ns.length ? parent.ns.map((n) => <li key={n}>{n}{ours.has(n) ? " (ours)" : ""}</li>) : <li>none</li>}
              </ul>
              {parent.glue.length > 0 && (
                <p className="mt-1 text-xs text-slate-500">
                  Glue: {parent.glue.map((g) => `${g.name} ${g.addresses.join(", ")}`).join("; ")}
                </p>
              )}
            </Step>
            <Arrow />
            <Step title="Nameservers" where="Where resolvers are sent">
              <ul className="space-y-2">
                {result.nameservers.map((n) => (
                  <li key={n.name}>
                    <span className="font-mono text-xs">{n.name}</span>
                    {ours.has(n.name) && <span className="text-xs text-slate-500"> (ours)</span>}
                    <ul className="ml-2">
                      {n.addresses.length === 0 && <li className="text-xs text-red-700 dark:text-red-400">no address{n.addressError ? `: ${n.addressError}` : ""}</li>}
                      {n.addresses.map((a) => (
                        <li key={`${a.address}:${a.port}`} className="text-xs">
                          <span className="font-mono">{a.address}</span> <Mark ok={a.outcome === "ok"} label={a.outcome === "ok" ? `serial ${a.serial}` : a.outcome} />
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            </Step>
            <Arrow />
            <Step title="Records" where="The zone those nameservers serve">
              {result.usesOurs === true ? (
                <p>
                  Our zone{props.records !== null ? ` (${props.records} records)` : ""}: the records you edit here are the ones the world sees.
                </p>
              ) : result.usesOurs === "partly" ? (
                <p>Partly ours: some resolvers get our records, others the other nameservers&apos; records.</p>
              ) : (
                <p>
                  Not ours: the world gets the records of the nameservers above, not the ones you edit here.
                </p>
              )}
            </Step>
          </div>
          {result.findings.length > 0 ? (
            <ul className="space-y-1" data-testid="check-findings">
              {result.findings.map((f, i) => (
                <FindingLine key={i} finding={f} />
              ))}
            </ul>
          ) : (
            <p className="text-green-700 dark:text-green-400" data-testid="check-findings">
              No problems found: every nameserver answers authoritatively, with the same serial.
            </p>
          )}
        </>
      )}
    </div>
  );
}
