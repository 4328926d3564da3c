"use client";
// A tenant's administration controls (/admin/tenants/<slug>): rename, suspend or change the
// suspension, lift it, set its quotas, move a domain to another tenant, delete the tenant.
// Each calls a server action; lib/ decides.
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { SUSPENSION_KIND_DESCRIPTIONS, SUSPENSION_KINDS } from "@/lib/tenancy/schemas.ts";
import { QUOTA_NAMES, type QuotaName } from "@/lib/tenancy/quota-schemas.ts";
import { Button, Notice, TextArea, TextField } from "@/app/_components/ui.tsx";
import { deleteTenantAction, moveDomainAction, renameTenantAction, resumeTenantAction, setTenantQuotasAction, suspendTenantAction } from "../actions.ts";

type Message = { tone: "success" | "error"; text: string } | null;

export function RenameTenantForm({ slug, name }: { slug: string; name: string }) {
  const [value, setValue] = useState(name);
  const [error, setError] = useState("");
  const [message, setMessage] = useState<Message>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      className="space-y-3"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(async () => {
          const state = await renameTenantAction(slug, value);
          if (state.ok) {
            setError("");
            setMessage({ tone: "success", text: `Renamed to ${state.result.name}.` });
          } else {
            setError(state.fieldErrors.name ?? "");
            setMessage(state.fieldErrors.name ? null : { tone: "error", text: state.message });
          }
        });
      }}
    >
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      <TextField id="tenant-rename" label="Name" value={value} onChange={(e) => setValue(e.target.value)} error={error} hint={`Its short name (${slug}, in URLs) stays.`} />
      <Button type="submit" variant="secondary" disabled={pending || value.trim() === name}>
        {pending ? "Renaming…" : "Rename"}
      </Button>
    </form>
  );
}

export function SuspendTenantForm({ slug, current }: { slug: string; current: { kind: "billing" | "abuse"; reason: string } | null }) {
  const [kind, setKind] = useState<string>(current?.kind ?? "");
  const [reason, setReason] = useState(current?.reason ?? "");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<Message>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      className="space-y-3"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(async () => {
          const state = await suspendTenantAction(slug, { kind, reason });
          if (state.ok) {
            setErrors({});
            setMessage({ tone: "success", text: state.result.changed ? `Suspended for ${state.result.kind}.` : "Nothing changed: it is already suspended like this." });
          } else {
            setErrors(state.fieldErrors);
            setMessage(Object.keys(state.fieldErrors).length ? null : { tone: "error", text: state.message });
          }
        });
      }}
    >
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      <fieldset aria-describedby={errors.kind ? "suspension-kind-error" : undefined}>
        <legend className="mb-1 text-sm font-medium text-slate-700 dark:text-slate-200">Kind</legend>
        <div className="space-y-2">
          {SUSPENSION_KINDS.map((k) => (
            <label key={k} className="flex items-start gap-2 text-sm">
              <input type="radio" name="suspension-kind" value={k} checked={kind === k} onChange={() => setKind(k)} className="mt-1" aria-describedby={`suspension-kind-${k}`} />
              <span>
                <span className="font-medium">{k === "billing" ? "Billing" : "Abuse"}</span>
                <span id={`suspension-kind-${k}`} className="block text-xs text-slate-500 dark:text-slate-400">
                  {SUSPENSION_KIND_DESCRIPTIONS[k]}
                </span>
              </span>
            </label>
          ))}
        </div>
        {errors.kind && (
          <p id="suspension-kind-error" role="alert" className="mt-1 text-xs font-medium text-red-600 dark:text-red-400">
            {errors.kind}
          </p>
        )}
      </fieldset>
      <TextArea
        id="suspension-reason"
        label="Reason"
        rows={2}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={errors.reason}
        hint="Shown to the tenant's members on every page and in every refused change."
        className="[&_textarea]:font-sans"
      />
      <Button type="submit" variant="danger" disabled={pending}>
        {pending ? "Saving…" : current ? "Change suspension" : "Suspend tenant"}
      </Button>
    </form>
  );
}

export function ResumeTenantButton({ slug }: { slug: string }) {
  const [error, setError] = useState("");
  const [pending, startTransition] = useTransition();
  return (
    <div className="space-y-2">
      {error && <Notice tone="error">{error}</Notice>}
      <Button
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const state = await resumeTenantAction(slug);
            setError(state.ok ? "" : state.message);
          })
        }
      >
        {pending ? "Lifting…" : "Lift suspension"}
      </Button>
    </div>
  );
}

/** Deleting is possible only while the tenant holds no domains; `blockedBy` says why not. */
export function DeleteTenant({ slug, name, blockedBy }: { slug: string; name: string; blockedBy: string | null }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState("");
  const [pending, startTransition] = useTransition();
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Deletes the tenant with its memberships, invitations and API tokens. Its users keep their accounts; its audit entries stay.
      </p>
      {blockedBy && (
        <p className="text-sm font-medium text-amber-800 dark:text-amber-200" id="delete-tenant-blocked">
          {blockedBy}
        </p>
      )}
      {error && <Notice tone="error">{error}</Notice>}
      {!confirming ? (
        <Button variant="danger" disabled={!!blockedBy} aria-describedby={blockedBy ? "delete-tenant-blocked" : undefined} onClick={() => setConfirming(true)}>
          Delete tenant
        </Button>
      ) : (
        <div className="flex flex-wrap gap-2">
          <Button
            variant="danger"
            disabled={pending}
            onClick={() =>
              startTransition(async () => {
                const state = await deleteTenantAction(slug);
                if (state.ok) router.push("/admin/tenants");
                else setError(state.message);
              })
            }
          >
            {pending ? "Deleting…" : `Yes, delete ${name}`}
          </Button>
          <Button variant="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
        </div>
      )}
    </div>
  );
}

type QuotaValues = Record<QuotaName, number | null>;

/** A quota as the form shows it: "" is the platform default, "unlimited", or the number. */
const quotaText = (value: number | null) => (value === null ? "" : value === 0 ? "unlimited" : String(value));
const limitText = (value: number | null) => (value === null ? "unlimited" : value.toLocaleString("en-US"));

export function QuotaForm({ slug, own, defaults }: { slug: string; own: QuotaValues; defaults: QuotaValues }) {
  const names = Object.keys(QUOTA_NAMES) as QuotaName[];
  const [values, setValues] = useState<Record<QuotaName, string>>(() => Object.fromEntries(names.map((n) => [n, quotaText(own[n])])) as Record<QuotaName, string>);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<Message>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      className="space-y-3"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(async () => {
          const state = await setTenantQuotasAction(slug, values);
          if (state.ok) {
            setErrors({});
            const { limits } = state.result;
            setMessage({ tone: "success", text: `Saved. In force: ${names.map((n) => `${QUOTA_NAMES[n].toLowerCase()} ${limitText(limits[n])}`).join(", ")}.` });
          } else {
            setErrors(state.fieldErrors);
            setMessage(Object.keys(state.fieldErrors).length ? null : { tone: "error", text: state.message });
          }
        });
      }}
    >
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      <div className="grid gap-3 sm:grid-cols-3">
        {names.map((name) => (
          <TextField
            key={name}
            id={`quota-${name}`}
            label={QUOTA_NAMES[name]}
            value={values[name]}
            onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
            error={errors[name]}
            placeholder={`default (${limitText(defaults[name])})`}
            hint={`Empty: the platform default (${limitText(defaults[name])}); a number, or "unlimited".`}
            inputMode="numeric"
          />
        ))}
      </div>
      <p className="text-xs text-slate-500 dark:text-slate-400">Lowering a limit below the usage deletes nothing: it refuses further growth.</p>
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? "Saving…" : "Save quotas"}
      </Button>
    </form>
  );
}

/** Moves one domain (zone, records, history, registration) to another tenant, then shows that tenant. */
export function MoveDomain({ domain }: { domain: string }) {
  const router = useRouter();
  const [to, setTo] = useState("");
  const [error, setError] = useState<{ field?: string; message?: string }>({});
  const [pending, startTransition] = useTransition();
  const id = `move-${domain.replace(/[^a-z0-9]/gi, "-")}`;
  return (
    <details className="text-sm">
      <summary className="cursor-pointer text-blue-700 hover:underline dark:text-blue-300">Move…</summary>
      <form
        className="mt-2 flex min-w-64 flex-col gap-2"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          startTransition(async () => {
            const state = await moveDomainAction(domain, to);
            if (state.ok) router.push(`/admin/tenants/${state.result.to}?moved=${encodeURIComponent(state.result.domain)}&from=${encodeURIComponent(state.result.from)}`);
            else setError({ field: state.fieldErrors.to, message: state.fieldErrors.to ? undefined : state.message });
          });
        }}
      >
        {error.message && <Notice tone="error">{error.message}</Notice>}
        <TextField
          id={id}
          label={`Move ${domain} to tenant`}
          value={to}
          onChange={(e) => setTo(e.target.value)}
          error={error.field}
          placeholder="short name"
          hint="Its zone, records, history and registration go along; its serial stays."
          autoComplete="off"
          spellCheck={false}
        />
        <Button type="submit" variant="secondary" disabled={pending || !to.trim()}>
          {pending ? "Moving…" : `Move ${domain}`}
        </Button>
      </form>
    </details>
  );
}
