"use client";
// Add or edit one record. The fields depend on the type; as the user types, the record is
// checked with the same zod schemas the server uses (lib/records), and errors show next to
// their field. Rules that need the rest of the zone (a CNAME beside other records, an MX
// pointing at an alias, a duplicate) come back from the server the same way.
import { useEffect, useMemo, useRef, useState, useTransition } from "react";
import { resolveOwnerName } from "@/lib/dns/names.ts";
import { issueFieldKey } from "@/lib/errors.ts";
import { targetName } from "@/lib/records/fields.ts";
import { validateRecord } from "@/lib/records/record-input.ts";
import { RECORD_TYPES, type RecordType } from "@/lib/records/types.ts";
import type { PanelChange } from "@/lib/zone/record-edits.ts";
import { Button, Notice, SelectField, TextArea, TextField, cx } from "@/app/_components/ui.tsx";
import { saveRecordAction } from "../actions.ts";
import { DEFAULT_FIELD_VALUES, TTL_PRESETS, TYPE_FIELDS, TYPE_HELP, describeTtl } from "./record-fields.ts";

export interface EditingRecord {
  id: string;
  version: number;
  name: string; // relative to the zone, "@" for the apex
  type: RecordType;
  ttl: number;
  values: Record<string, string>;
}

interface Props {
  tenant: string;
  zone: string;
  defaultTtl: number;
  editing?: EditingRecord;
  onSaved: (change: PanelChange, description: string) => void;
  onCancel: () => void;
}

/** Fields that hold a hostname: the form shows the absolute name each one resolves to. */
const TARGET_FIELDS = new Set(["target", "exchange", "host"]);

function previewTarget(zone: string, value: string | undefined): string | null {
  if (!value?.trim()) return null;
  const parsed = targetName(zone, { allowRoot: true }).safeParse(value);
  return parsed.success ? (parsed.data === "" ? "no host (.)" : `${parsed.data}.`) : null;
}

/** Field errors keyed by field name, from issue paths like ["address"] or ["ttl"]. */
function errorsByField(issues: { path: (string | number)[]; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const key = issueFieldKey(issue.path) || "_form";
    out[key] ??= issue.message;
  }
  return out;
}

export function RecordForm({ tenant, zone, defaultTtl, editing, onSaved, onCancel }: Props) {
  const [type, setType] = useState<RecordType>(editing?.type ?? "A");
  const [name, setName] = useState(editing?.name ?? "");
  const [ttl, setTtl] = useState(String(editing?.ttl ?? defaultTtl));
  const [values, setValues] = useState<Record<string, string>>(editing?.values ?? { ...DEFAULT_FIELD_VALUES[type] });
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<{ message: string; fieldErrors: Record<string, string>; conflict?: boolean } | null>(null);
  const [pending, startTransition] = useTransition();
  const formRef = useRef<HTMLFormElement>(null);
  const fields = TYPE_FIELDS[type];

  const clientErrors = useMemo(() => {
    const check = validateRecord({ name, type, ttl, fields: values }, zone, defaultTtl);
    return check.ok ? {} : errorsByField(check.issues);
  }, [name, type, ttl, values, zone, defaultTtl]);

  // Rules about the whole record ("content": a duplicate, an MX aimed at an alias) belong to
  // the field that says where it points, or else the record's only value field.
  const mainField = fields.find((f) => TARGET_FIELDS.has(f.key))?.key ?? fields[fields.length - 1].key;
  // Server errors describe what was submitted; editing a field clears its error.
  const errorFor = (key: string) =>
    server?.fieldErrors[key] ??
    (key === mainField ? server?.fieldErrors.content : undefined) ??
    (submitted || touched.has(key) ? clientErrors[key] ?? (key === mainField ? clientErrors.content : undefined) : undefined);
  const touch = (key: string) => setTouched((t) => new Set(t).add(key));
  const clearServer = (key: string) => setServer((s) => (s ? { ...s, fieldErrors: Object.fromEntries(Object.entries(s.fieldErrors).filter(([k]) => k !== key)) } : s));

  useEffect(() => {
    if (!submitted && !server) return;
    formRef.current?.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
  }, [submitted, server]);

  function changeType(next: RecordType) {
    setType(next);
    setValues({ ...DEFAULT_FIELD_VALUES[next] });
    setTouched(new Set(["name", "ttl"].filter((k) => touched.has(k))));
    setServer(null);
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(clientErrors).length > 0) {
      setServer(null);
      return;
    }
    startTransition(async () => {
      const state = await saveRecordAction({ tenant, domain: zone }, {
        target: editing ? { id: editing.id, version: editing.version } : undefined,
        record: { name, type, ttl, fields: values },
      });
      if (state.ok) {
        const shown = `${name.trim() || "@"} ${type}`;
        onSaved(state.result, editing ? `Saved ${shown}.` : `Added ${shown}.`);
      } else {
        setServer({ message: state.message, fieldErrors: state.fieldErrors, conflict: state.conflict });
      }
    });
  }

  // What the typed names mean, spelled out: "www" and "mail.sub" are inside the zone as owner
  // names, while a target with a dot inside is absolute (as in Cloudflare and PowerDNS).
  const fullName = useMemo(() => {
    try {
      return `${resolveOwnerName(name, zone)}.`;
    } catch {
      return null;
    }
  }, [name, zone]);

  const formError = server && (server.message !== "Please correct the highlighted fields." || Object.keys(server.fieldErrors).length === 0) ? server.message : null;
  const ttlNumber = Number(ttl);

  return (
    <form ref={formRef} onSubmit={submit} noValidate aria-label={editing ? "Edit record" : "Add record"} className="space-y-4">
      {formError && (
        <Notice tone="error">
          {formError}
          {server?.conflict && (
            <>
              {" "}
              <button type="button" className="underline" onClick={() => window.location.reload()}>
                Reload
              </button>
            </>
          )}
        </Notice>
      )}
      <div className="grid gap-4 sm:grid-cols-[8rem_1fr_9rem]">
        <SelectField
          id="record-type"
          label="Type"
          value={type}
          disabled={!!editing}
          onChange={(e) => changeType(e.target.value as RecordType)}
          hint={editing ? "The type of a record cannot change: add a new record instead." : undefined}
        >
          {RECORD_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </SelectField>
        <TextField
          id="record-name"
          label="Name"
          value={name}
          placeholder="@"
          suffix={`.${zone}`}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => (setName(e.target.value), clearServer("name"))}
          onBlur={() => touch("name")}
          // "type" errors are about what this name already holds (a CNAME beside other data).
          error={errorFor("name") ?? server?.fieldErrors.type}
          hint={
            <>
              {fullName && <span className="font-mono" data-testid="full-name">Full name: {fullName}</span>}
              {fullName && " — "}
              {type === "SRV" ? "_service._protocol, e.g. _sip._tcp" : "@ (or empty) for the zone itself"}
            </>
          }
        />
        <TextField
          id="record-ttl"
          label="TTL (seconds)"
          value={ttl}
          inputMode="numeric"
          list="ttl-presets"
          onChange={(e) => (setTtl(e.target.value), clearServer("ttl"))}
          onBlur={() => touch("ttl")}
          error={errorFor("ttl")}
          hint={Number.isInteger(ttlNumber) && ttlNumber > 0 ? `${describeTtl(ttlNumber)} in resolvers' caches` : undefined}
        />
        <datalist id="ttl-presets">
          {TTL_PRESETS.map((p) => (
            <option key={p} value={p}>
              {describeTtl(p)}
            </option>
          ))}
        </datalist>
      </div>
      <p className="text-sm text-slate-600 dark:text-slate-400">{TYPE_HELP[type]}</p>
      <div className="flex flex-wrap gap-4">
        {fields.map((field) => {
          const id = `field-${field.key}`;
          const points = TARGET_FIELDS.has(field.key) ? previewTarget(zone, values[field.key]) : null;
          const common = {
            id,
            label: field.label,
            error: errorFor(field.key),
            hint: points ? (
              <>
                <span className="font-mono">Points at {points}</span> — {field.hint}
              </>
            ) : (
              field.hint
            ),
            className: cx(field.width === "narrow" ? "w-28" : field.width === "wide" ? "min-w-64 flex-1" : "min-w-48 flex-1"),
          };
          const set = (value: string) => (setValues((v) => ({ ...v, [field.key]: value })), clearServer(field.key));
          if (field.kind === "select") {
            return (
              <SelectField key={id} {...common} value={values[field.key] ?? ""} onChange={(e) => set(e.target.value)} onBlur={() => touch(field.key)}>
                {field.options!.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </SelectField>
            );
          }
          if (field.kind === "textarea") {
            return (
              <TextArea key={id} {...common} rows={3} value={values[field.key] ?? ""} placeholder={field.placeholder} spellCheck={false} onChange={(e) => set(e.target.value)} onBlur={() => touch(field.key)} />
            );
          }
          return (
            <TextField
              key={id}
              {...common}
              value={values[field.key] ?? ""}
              placeholder={field.placeholder}
              inputMode={field.kind === "number" ? "numeric" : undefined}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => set(e.target.value)}
              onBlur={() => touch(field.key)}
            />
          );
        })}
      </div>
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : editing ? "Save record" : "Add record"}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
