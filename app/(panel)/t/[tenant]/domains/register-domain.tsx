"use client";
// Find a name and register it: the answer (available / taken / not offered / invalid /
// reserved) with its reason, IDN names shown both ways, then 1-10 years and Register. The
// domain starts on our nameservers, with its zone.
import { useState, useTransition } from "react";
import type { NameCheck } from "@/lib/registry/names.ts";
import { Button, Notice, SelectField, TextField, cx } from "@/app/_components/ui.tsx";
import { checkDomainNameAction, registerDomainAction } from "./actions.ts";

const VERDICT_LABEL: Record<NameCheck["verdict"], string> = {
  available: "Available",
  taken: "Taken",
  "not-offered": "Not offered",
  invalid: "Not a valid name",
  reserved: "Reserved",
};

export function RegisterDomain({ tenant, tlds }: { tenant: string; tlds: string[] }) {
  const [name, setName] = useState("");
  const [years, setYears] = useState("1");
  const [check, setCheck] = useState<NameCheck | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ name: string; expiresAt: string } | null>(null);
  const [pending, startTransition] = useTransition();

  function search(event: React.FormEvent) {
    event.preventDefault();
    setDone(null);
    startTransition(async () => {
      const state = await checkDomainNameAction(tenant, name);
      if (state.ok) {
        setCheck(state.result);
        setError(null);
      } else {
        setCheck(null);
        setError(state.fieldErrors.name ?? state.message);
      }
    });
  }

  function register() {
    if (!check) return;
    startTransition(async () => {
      const state = await registerDomainAction(tenant, check.name, years);
      if (state.ok) {
        setDone(state.result);
        setCheck(null);
        setName("");
        setError(null);
      } else setError(state.fieldErrors.name ?? state.fieldErrors.years ?? state.message);
    });
  }

  const shown = check && (check.unicode !== check.name && check.name ? `${check.unicode} (${check.name})` : check.name || check.input);
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        We run the registry for {tlds.map((t) => `.${t}`).join(", ")}. A new domain starts on our nameservers, with its zone ready for records.
      </p>
      {done && (
        <Notice tone="success" testId="registered-notice">
          {done.name} is registered until {done.expiresAt.slice(0, 10)} and uses our nameservers.{" "}
          <a className="underline" href={`/t/${tenant}/domains/${done.name}`}>
            Open {done.name}
          </a>
        </Notice>
      )}
      <form onSubmit={search} className="flex flex-wrap items-end gap-2" role="search" aria-label="Find a domain to register">
        <TextField
          id="register-name"
          label="Domain name"
          className="min-w-56 flex-1"
          placeholder={`shop.${tlds[0] ?? "test"}`}
          value={name}
          onChange={(e) => (setName(e.target.value), setCheck(null))}
          autoComplete="off"
          spellCheck={false}
        />
        <Button type="submit" variant="secondary" disabled={pending || !name.trim()}>
          {pending && !check ? "Checking…" : "Check availability"}
        </Button>
      </form>
      {error && <Notice tone="error">{error}</Notice>}
      {check && (
        <div
          data-testid="availability"
          className={cx(
            "rounded-md border px-3 py-2 text-sm",
            check.verdict === "available" ? "border-green-300 bg-green-50 dark:border-green-900 dark:bg-green-950" : "border-slate-300 bg-slate-50 dark:border-slate-700 dark:bg-slate-900",
          )}
          aria-live="polite"
        >
          <p>
            <strong>{VERDICT_LABEL[check.verdict]}</strong>
            {shown ? <span className="font-mono"> · {shown}</span> : null}
          </p>
          <p className="text-slate-600 dark:text-slate-300">{check.reason}</p>
          {check.verdict === "available" && (
            <div className="mt-2 flex flex-wrap items-end gap-2">
              <SelectField id="register-years" label="Register for" value={years} onChange={(e) => setYears(e.target.value)} className="w-32">
                {Array.from({ length: 10 }, (_, i) => i + 1).map((n) => (
                  <option key={n} value={n}>
                    {n} year{n === 1 ? "" : "s"}
                  </option>
                ))}
              </SelectField>
              <Button onClick={register} disabled={pending}>
                {pending ? "Registering…" : `Register ${check.unicode}`}
              </Button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
