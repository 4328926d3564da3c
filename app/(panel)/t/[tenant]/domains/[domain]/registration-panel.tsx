"use client";
// The registration of a domain registered here: expiry, renew, auto-renew, transfer lock and
// auth code; restore while it is in redemption. Owners and admins change it; others see it.
import { useState, useTransition } from "react";
import { Button, Notice, SelectField } from "@/app/_components/ui.tsx";
import {
  regenerateAuthCodeAction, renewAction, restoreAction, revealAuthCodeAction, setAutoRenewAction, setTransferLockAction,
} from "./actions.ts";

export interface RegistrationView {
  status: "active" | "grace" | "redemption";
  statuses: string[];
  registeredAt: string;
  expiresAt: string;
  graceEndsAt: string;
  releaseAt: string | null;
  autoRenew: boolean;
  transferLock: boolean;
  /** How many more years it can be renewed by (10 years ahead at most). */
  renewableYears: number;
}

const day = (iso: string) => iso.slice(0, 10);

export function RegistrationPanel({ tenant, domain, registration, canManage }: { tenant: string; domain: string; registration: RegistrationView; canManage: boolean }) {
  const ref = { tenant, domain };
  const [years, setYears] = useState("1");
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [authCode, setAuthCode] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const r = registration;

  function run<T>(work: () => Promise<{ ok: true; result: T } | { ok: false; message: string; fieldErrors: Record<string, string> }>, success: (result: T) => string) {
    startTransition(async () => {
      const state = await work();
      if (state.ok) setMessage({ tone: "success", text: success(state.result) });
      else setMessage({ tone: "error", text: Object.values(state.fieldErrors)[0] ?? state.message });
    });
  }

  return (
    <div className="space-y-3 text-sm" data-testid="registration">
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        <dt className="text-slate-500 dark:text-slate-400">Status</dt>
        <dd>
          {r.status === "active" ? "Active" : r.status === "grace" ? "Expired: grace period" : "Not resolving: restore period"}{" "}
          <span className="font-mono text-xs text-slate-500">({r.statuses.join(", ")})</span>
        </dd>
        <dt className="text-slate-500 dark:text-slate-400">Registered</dt>
        <dd>{day(r.registeredAt)}</dd>
        <dt className="text-slate-500 dark:text-slate-400">Expires</dt>
        <dd data-testid="expires-at">{day(r.expiresAt)}</dd>
        {r.status === "grace" && (
          <>
            <dt className="text-slate-500 dark:text-slate-400">Stops resolving</dt>
            <dd>{day(r.graceEndsAt)} unless renewed</dd>
          </>
        )}
        {r.releaseAt && (
          <>
            <dt className="text-slate-500 dark:text-slate-400">Released</dt>
            <dd>{day(r.releaseAt)} unless restored</dd>
          </>
        )}
        <dt className="text-slate-500 dark:text-slate-400">Auto-renew</dt>
        <dd data-testid="auto-renew">{r.autoRenew ? "On: renews for a year when it expires" : "Off"}</dd>
        <dt className="text-slate-500 dark:text-slate-400">Transfer lock</dt>
        <dd data-testid="transfer-lock">{r.transferLock ? "On: it cannot be transferred to another registrar" : "Off: it can be transferred with its auth code"}</dd>
      </dl>

      {message && <Notice tone={message.tone}>{message.text}</Notice>}

      {canManage ? (
        <div className="space-y-3 border-t border-slate-200 pt-3 dark:border-slate-800">
          {r.status === "redemption" ? (
            <div className="flex flex-wrap items-end gap-2">
              <Button onClick={() => run(() => restoreAction(ref, 1), (x) => `Restored: delegated again, registered until ${day(x.expiresAt)}.`)} disabled={pending}>
                Restore {domain}
              </Button>
            </div>
          ) : r.renewableYears > 0 ? (
            <div className="flex flex-wrap items-end gap-2">
              <SelectField id="renew-years" label="Renew for" value={years} onChange={(e) => setYears(e.target.value)} className="w-32">
                {Array.from({ length: r.renewableYears }, (_, i) => i + 1).map((n) => (
                  <option key={n} value={n}>
                    {n} year{n === 1 ? "" : "s"}
                  </option>
                ))}
              </SelectField>
              <Button onClick={() => run(() => renewAction(ref, Number(years)), (x) => `Renewed: registered until ${day(x.expiresAt)}.`)} disabled={pending}>
                Renew
              </Button>
            </div>
          ) : (
            <p className="text-slate-500">Registered the longest time allowed (10 years ahead).</p>
          )}
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" disabled={pending} onClick={() => run(() => setAutoRenewAction(ref, !r.autoRenew), (x) => `Auto-renew is ${x.autoRenew ? "on" : "off"}.`)}>
              Turn auto-renew {r.autoRenew ? "off" : "on"}
            </Button>
            <Button variant="secondary" disabled={pending} onClick={() => run(() => setTransferLockAction(ref, !r.transferLock), (x) => `Transfer lock is ${x.transferLock ? "on" : "off"}.`)}>
              {r.transferLock ? "Unlock for transfer" : "Lock transfers"}
            </Button>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <span className="text-slate-500 dark:text-slate-400">Auth code</span>
            {authCode ? (
              <code className="rounded bg-slate-100 px-2 py-0.5 font-mono dark:bg-slate-800" data-testid="auth-code">
                {authCode}
              </code>
            ) : (
              <span aria-hidden="true">••••••••••••••••</span>
            )}
            <Button
              variant="ghost"
              disabled={pending}
              onClick={() =>
                startTransition(async () => {
                  const state = await revealAuthCodeAction(ref);
                  if (state.ok) setAuthCode(state.result);
                  else setMessage({ tone: "error", text: state.message });
                })
              }
            >
              Reveal
            </Button>
            <Button
              variant="ghost"
              disabled={pending}
              onClick={() =>
                startTransition(async () => {
                  const state = await regenerateAuthCodeAction(ref);
                  if (state.ok) {
                    setAuthCode(state.result);
                    setMessage({ tone: "success", text: "A new auth code replaces the old one." });
                  } else setMessage({ tone: "error", text: state.message });
                })
              }
            >
              Generate a new one
            </Button>
          </div>
          <p className="text-xs text-slate-500 dark:text-slate-400">Every reveal is recorded in the audit log. Give the code only to the registrar you move the domain to.</p>
        </div>
      ) : (
        <p className="text-xs text-slate-500 dark:text-slate-400" data-testid="registration-read-only">
          Owners and admins renew the domain, change its locks and see its auth code.
        </p>
      )}
    </div>
  );
}
