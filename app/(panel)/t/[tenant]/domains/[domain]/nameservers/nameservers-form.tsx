"use client";
// "Use our nameservers" or "Use custom nameservers" (2-13 hosts; hosts inside the domain need
// their addresses, published as glue). Before switching away, each new nameserver is asked for
// the zone's SOA and NS (the pre-flight); if not all answer authoritatively, switching needs an
// explicit "Switch anyway". Only the delegation at the parent changes: the zone and its records
// stay, and our nameservers keep answering while resolvers may hold the old delegation.
import { useState, useTransition } from "react";
import type { PreflightResult } from "@/lib/registrar/preflight.ts";
import { Button, Notice, TextField, cx } from "@/app/_components/ui.tsx";
import { VisibleBy } from "@/app/_components/visible-by.tsx";
import { preflightAction, setNameserversAction } from "../actions.ts";

interface HostRow {
  name: string;
  addresses: string;
}

const MIN = 2;
const MAX = 13;

function PreflightView({ result }: { result: PreflightResult }) {
  return (
    <div className="space-y-1 text-sm" data-testid="preflight">
      <p className="font-medium">{result.summary}</p>
      <ul>
        {result.hosts.map((h) => (
          <li key={h.name} className={h.outcome === "ok" ? "text-green-700 dark:text-green-400" : "text-red-700 dark:text-red-400"}>
            <span aria-hidden="true">{h.outcome === "ok" ? "✓ " : "✗ "}</span>
            <span className="font-mono">{h.name}</span> {h.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function NameserversForm(props: {
  tenant: string;
  domain: string;
  ours: string[];
  mode: "hosted" | "external";
  current: string[];
  /** Known addresses of hosts inside the domain (glue), by name. */
  glue: Record<string, string[]>;
  delegationTtl: number;
  /** The registry's TLDs: a host under one of them gets its glue from the registry. */
  tlds: string[];
}) {
  const ref = { tenant: props.tenant, domain: props.domain };
  const [useOurs, setUseOurs] = useState(props.mode === "hosted");
  const initialRows = props.mode === "external" ? props.current.map((name) => ({ name, addresses: (props.glue[name] ?? []).join(", ") })) : [];
  const [rows, setRows] = useState<HostRow[]>(initialRows.length >= MIN ? initialRows : [...initialRows, ...Array(MIN - initialRows.length).fill(null).map(() => ({ name: "", addresses: "" }))]);
  const [preflight, setPreflight] = useState<PreflightResult | null>(null);
  const [needsForce, setNeedsForce] = useState(false);
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [done, setDone] = useState<{ names: string[]; ours: boolean; serial: number | null; visibleAt: string; zoneCreated: boolean } | null>(null);
  const [pending, startTransition] = useTransition();

  const normalized = (name: string) => name.trim().toLowerCase().replace(/\.$/, "");
  const inDomain = (name: string) => normalized(name) === props.domain || normalized(name).endsWith(`.${props.domain}`);
  // Hosts under one of our TLDs get glue, so they may take addresses; others never do.
  const inRegistry = (name: string) => props.tlds.some((t) => normalized(name).endsWith(`.${t}`));
  const hosts = () =>
    rows
      .filter((r) => r.name.trim())
      .map((r) => ({ name: r.name.trim(), addresses: inRegistry(r.name) ? r.addresses.split(/[\s,]+/).filter(Boolean) : [] }))
      .map((h) => (h.addresses.length ? h : { name: h.name }));
  const update = (i: number, patch: Partial<HostRow>) => {
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
    setNeedsForce(false);
  };

  function save(force: boolean) {
    startTransition(async () => {
      const choice = useOurs ? { ours: true } : { ours: false, hosts: hosts() };
      const state = await setNameserversAction(ref, choice, force);
      if (!state.ok) {
        setError({ message: state.message, fields: state.fieldErrors });
        setDone(null);
        return;
      }
      setError(null);
      if (!state.result.switched) {
        setPreflight(state.result.preflight);
        setNeedsForce(true);
        return;
      }
      setPreflight(state.result.preflight ?? null);
      setNeedsForce(false);
      setDone({
        names: state.result.nameservers,
        ours: state.result.mode === "hosted",
        serial: state.result.serial,
        visibleAt: new Date(Date.now() + state.result.cacheSeconds * 1000).toISOString(),
        zoneCreated: state.result.zoneCreated,
      });
    });
  }

  function test() {
    startTransition(async () => {
      const state = await preflightAction(ref, hosts());
      if (state.ok) {
        setPreflight(state.result);
        setError(null);
      } else setError({ message: state.message, fields: state.fieldErrors });
    });
  }

  // Field errors arrive keyed "nameservers.name" / "nameservers.addresses" (the row index is not
  // kept in form keys); each message names its host, which places it on the right row.
  const fieldError = (i: number, field: string) => {
    const message = error?.fields[`nameservers.${field}`];
    const host = rows[i]?.name.trim().toLowerCase().replace(/\.$/, "");
    return message && host && message.includes(host) ? message : undefined;
  };

  return (
    <form
      className="space-y-4"
      aria-label="Nameservers"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save(false);
      }}
    >
      <fieldset className="space-y-2">
        <legend className="mb-1 text-sm font-medium">Which nameservers answer for {props.domain}?</legend>
        <label className="flex items-start gap-2 text-sm">
          <input type="radio" name="mode" checked={useOurs} onChange={() => (setUseOurs(true), setNeedsForce(false))} className="mt-1" />
          <span>
            <strong>Use our nameservers</strong> (recommended): {props.ours.join(", ")}. The records you edit here are what the world sees.
          </span>
        </label>
        <label className="flex items-start gap-2 text-sm">
          <input type="radio" name="mode" checked={!useOurs} onChange={() => (setUseOurs(false), setNeedsForce(false))} className="mt-1" />
          <span>
            <strong>Use custom nameservers</strong>: another DNS provider answers; the records here are kept but not used.
          </span>
        </label>
      </fieldset>

      {!useOurs && (
        <div className="space-y-2" data-testid="custom-nameservers">
          {rows.map((row, i) => (
            <div key={i} className="flex flex-wrap items-end gap-2 rounded-md border border-slate-200 p-2 dark:border-slate-800">
              <TextField
                id={`ns-${i}`}
                label={`Nameserver ${i + 1}`}
                className="min-w-52 flex-1"
                placeholder={i === 0 ? "ns1.provider.net" : "ns2.provider.net"}
                value={row.name}
                onChange={(e) => update(i, { name: e.target.value })}
                error={fieldError(i, "name")}
                autoComplete="off"
                spellCheck={false}
              />
              {inRegistry(row.name) && (
                <TextField
                  id={`ns-${i}-addresses`}
                  label={`Addresses of ${row.name.trim() || "this host"} (glue)`}
                  className="min-w-52 flex-1"
                  placeholder="192.0.2.53, 2001:db8::53"
                  hint={
                    inDomain(row.name)
                      ? "It is inside this domain, so the registry publishes its addresses for resolvers to reach it."
                      : "It is inside another domain of our registry: give its addresses if it is a new host of one of your domains; leave empty to use the host as registered."
                  }
                  value={row.addresses}
                  onChange={(e) => update(i, { addresses: e.target.value })}
                  error={fieldError(i, "addresses")}
                />
              )}
              {rows.length > MIN && (
                <Button variant="ghost" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))} aria-label={`Remove nameserver ${i + 1}`}>
                  Remove
                </Button>
              )}
            </div>
          ))}
          {rows.length < MAX && (
            <Button variant="ghost" onClick={() => setRows((rs) => [...rs, { name: "", addresses: "" }])}>
              Add a nameserver
            </Button>
          )}
        </div>
      )}

      {error && (
        <Notice tone="error">
          {error.message}
          {Object.keys(error.fields).length > 0 && (
            <ul className="mt-1 list-disc pl-5">
              {Object.values(error.fields).map((m, i) => (
                <li key={i}>{m}</li>
              ))}
            </ul>
          )}
        </Notice>
      )}
      {preflight && <PreflightView result={preflight} />}
      {needsForce && (
        <Notice tone="warning" testId="switch-anyway-note">
          Not every new nameserver answers for {props.domain} yet. If you switch now, resolvers sent to it get no answer (a lame delegation) until it
          does.
        </Notice>
      )}
      {done && (
        <Notice tone="success" testId="nameservers-saved">
          {done.ours ? "Now on our nameservers" : `Now delegated to ${done.names.join(", ")}`}
          {done.serial !== null ? ` (parent zone serial ${done.serial})` : ""}. Resolvers that cached the old delegation may keep using it:{" "}
          <VisibleBy at={done.visibleAt} /> (the parent&apos;s NS TTL, {Math.round(props.delegationTtl / 60)} min).
          {!done.ours && " Our nameservers keep answering from this zone until then; its records are kept."}
          {done.zoneCreated && " A fresh zone was created with our NS records."}
        </Notice>
      )}

      <div className={cx("flex flex-wrap gap-2")}>
        {needsForce ? (
          <Button variant="danger" disabled={pending} onClick={() => save(true)}>
            Switch anyway
          </Button>
        ) : (
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Save nameservers"}
          </Button>
        )}
        {!useOurs && (
          <Button variant="secondary" disabled={pending} onClick={test}>
            Test these nameservers
          </Button>
        )}
      </div>
    </form>
  );
}
