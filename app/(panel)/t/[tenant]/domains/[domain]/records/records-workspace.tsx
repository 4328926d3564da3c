"use client";
// The records table and everything done to it: the add/edit form, selecting several records to
// delete them in one change set, and, after each change, the new serial, whether the
// nameservers serve it, and until when resolvers may still answer from their caches.
//
// The rows are one page of the table (the server filters, sorts and pages in SQL); the filters,
// sort and page live in the URL, so they survive reloads and can be shared.
import Link from "next/link";
import Form from "next/form";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { formValuesOf } from "@/lib/records/form-values.ts";
import { RECORD_TYPES, type RecordType } from "@/lib/records/types.ts";
import type { PanelChange } from "@/lib/zone/record-edits.ts";
import { serialGreaterThan } from "@/lib/zone/serial.ts";
import { Button, Card, Notice, cx } from "@/app/_components/ui.tsx";
import { deleteRecordsAction } from "../actions.ts";
import { LiveStatus } from "./live-status.tsx";
import { RecordForm, type EditingRecord } from "./record-form.tsx";
import { describeTtl } from "./record-fields.ts";

export interface TableRow {
  id: string;
  name: string; // relative, "@" for the apex
  type: string;
  ttl: number;
  content: string;
  version: number;
}

interface Props {
  tenant: string;
  zone: string;
  defaultTtl: number;
  canEdit: boolean;
  serial: number;
  rows: TableRow[];
  total: number;
  zoneTotal: number;
  page: number;
  pages: number;
  pageSize: number;
  query: { name: string; type: string; q: string; sort: string; dir: string };
}

interface LastChange {
  description: string;
  change: PanelChange;
  at: number;
}

function CacheNote({ change, at }: { change: PanelChange; at: number }) {
  const [until, setUntil] = useState<string | null>(null);
  useEffect(() => {
    setUntil(new Date(at + change.cacheSeconds * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
  }, [at, change.cacheSeconds]);
  if (change.cacheSeconds <= 0 || !until) return null;
  return (
    <span data-testid="cache-note">
      {" "}
      Resolvers that asked before may keep the old answer until <strong>{until}</strong> ({describeTtl(change.cacheSeconds)}, the TTL they cached it with).
    </span>
  );
}

export function RecordsWorkspace(props: Props) {
  const { tenant, zone, defaultTtl, canEdit, rows } = props;
  const [form, setForm] = useState<null | { kind: "add" } | { kind: "edit"; record: EditingRecord }>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState<string[] | null>(null);
  const [last, setLast] = useState<LastChange | null>(null);
  const [error, setError] = useState<{ message: string; conflict?: boolean } | null>(null);
  const [serial, setSerial] = useState(props.serial);
  const [pending, startTransition] = useTransition();
  const formCard = useRef<HTMLDivElement>(null);
  const notice = useRef<HTMLDivElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  // Where focus goes back to when the form closes: the button that opened it.
  const opener = useRef<HTMLElement | null>(null);
  const [focusTarget, setFocusTarget] = useState<"notice" | "opener" | null>(null);
  const pathname = usePathname();
  const searchParams = useSearchParams();

  // A newer serial from the server (after our change, or someone else's) wins.
  useEffect(() => setSerial((s) => (serialGreaterThan(props.serial, s) ? props.serial : s)), [props.serial]);
  // Forget selections of rows that are gone (deleted, or on another page now).
  useEffect(() => setSelected((s) => new Set([...s].filter((id) => rows.some((r) => r.id === id)))), [rows]);
  useEffect(() => {
    if (form) formCard.current?.querySelector<HTMLElement>("select:not([disabled]), input")?.focus();
  }, [form]);
  // After the form or a confirmation closes, focus must not fall back to the page's start.
  useEffect(() => {
    if (focusTarget === "notice") notice.current?.focus();
    if (focusTarget === "opener") (opener.current?.isConnected ? opener.current : addButton.current)?.focus();
    if (focusTarget) setFocusTarget(null);
  }, [focusTarget]);

  function open(next: NonNullable<typeof form>) {
    opener.current = document.activeElement as HTMLElement | null;
    setError(null);
    setForm(next);
  }

  function saved(change: PanelChange, description: string) {
    setForm(null);
    setError(null);
    setSerial(change.serial);
    setLast({ description, change, at: Date.now() });
    setFocusTarget("notice");
  }

  function edit(row: TableRow) {
    open({
      kind: "edit",
      record: { id: row.id, version: row.version, name: row.name, type: row.type as RecordType, ttl: row.ttl, values: formValuesOf(row.type as RecordType, row.content, zone) },
    });
  }

  function remove(ids: string[]) {
    const targets = rows.filter((r) => ids.includes(r.id)).map((r) => ({ id: r.id, version: r.version }));
    startTransition(async () => {
      const state = await deleteRecordsAction({ tenant, domain: zone }, targets);
      setConfirming(null);
      if (state.ok) {
        setSelected((s) => new Set([...s].filter((id) => !ids.includes(id))));
        setError(null);
        setSerial(state.result.serial);
        setLast({ description: `Deleted ${targets.length} record${targets.length === 1 ? "" : "s"}.`, change: state.result, at: Date.now() });
      } else setError({ message: state.message, conflict: state.conflict });
      setFocusTarget("notice");
    });
  }

  const href = (changes: Record<string, string | number | undefined>) => {
    const params = new URLSearchParams(searchParams.toString());
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === "" || (key === "page" && value === 1)) params.delete(key);
      else params.set(key, String(value));
    }
    const text = params.toString();
    return text ? `${pathname}?${text}` : pathname;
  };
  const sortHeader = (field: string, label: string, className?: string) => {
    const active = props.query.sort === field;
    const nextDir = active && props.query.dir === "asc" ? "desc" : "asc";
    return (
      <th scope="col" className={cx("px-3 py-2", className)} aria-sort={active ? (props.query.dir === "asc" ? "ascending" : "descending") : undefined}>
        <Link href={href({ sort: field, dir: nextDir, page: 1 })} className="hover:underline">
          {label}
          {active ? (props.query.dir === "asc" ? " ▲" : " ▼") : ""}
        </Link>
      </th>
    );
  };
  const allOnPage = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const first = props.total === 0 ? 0 : (props.page - 1) * props.pageSize + 1;
  const lastShown = Math.min(props.page * props.pageSize, props.total);
  const filtered = !!(props.query.name || props.query.type || props.query.q);

  return (
    <div className="space-y-4">
      <LiveStatus tenant={tenant} domain={zone} serial={serial} />
      {/* Focus lands here after a change, so the outcome is read out. */}
      <div ref={notice} tabIndex={-1} className="space-y-2 outline-none">
        {last && (
          <Notice tone="success" testId="change-notice">
            {last.description} Serial {last.change.oldSerial} → <span className="font-mono">{last.change.serial}</span>.
            <CacheNote change={last.change} at={last.at} />
          </Notice>
        )}
        {error && (
          <Notice tone="error">
            {error.message}{" "}
            {error.conflict && (
              <button type="button" className="underline" onClick={() => window.location.reload()}>
                Reload
              </button>
            )}
          </Notice>
        )}
      </div>

      {canEdit && !form && (
        <Button ref={addButton} onClick={() => open({ kind: "add" })} data-testid="add-record">
          Add record
        </Button>
      )}
      {form && (
        <div ref={formCard}>
          <Card title={form.kind === "add" ? "Add a record" : `Edit ${form.record.name} ${form.record.type}`}>
            <RecordForm
              key={form.kind === "edit" ? form.record.id : "add"}
              tenant={tenant}
              zone={zone}
              defaultTtl={defaultTtl}
              editing={form.kind === "edit" ? form.record : undefined}
              onSaved={saved}
              onCancel={() => (setForm(null), setFocusTarget("opener"))}
            />
          </Card>
        </div>
      )}

      {/* Keyed on the query: after "Clear" or a link, the inputs show the filters in force. */}
      <Form key={searchParams.toString()} action={pathname} className="flex flex-wrap items-end gap-2" aria-label="Filter records">
        <div>
          <label htmlFor="filter-name" className="mb-1 block text-xs font-medium text-slate-600 dark:text-slate-300">
            Name
          </label>
          <input id="filter-name" name="name" defaultValue={props.query.name} placeholder="www" className="w-36 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-900" />
        </div>
        <div>
          <label htmlFor="filter-type" className="mb-1 block text-xs font-medium text-slate-600 dark:text-slate-300">
            Type
          </label>
          <select id="filter-type" name="type" defaultValue={props.query.type} className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-900">
            <option value="">All types</option>
            {RECORD_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div className="min-w-48 flex-1">
          <label htmlFor="filter-q" className="mb-1 block text-xs font-medium text-slate-600 dark:text-slate-300">
            Search names and values
          </label>
          <input id="filter-q" name="q" type="search" defaultValue={props.query.q} className="w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-900" />
        </div>
        <input type="hidden" name="sort" value={props.query.sort} />
        <input type="hidden" name="dir" value={props.query.dir} />
        <Button type="submit" variant="secondary">
          Filter
        </Button>
        {filtered && (
          <Link href={pathname} className="px-2 py-1.5 text-sm text-blue-700 hover:underline dark:text-blue-300">
            Clear
          </Link>
        )}
      </Form>

      {canEdit && (selected.size > 0 || confirming) && (
        <div className="flex flex-wrap items-center gap-2 rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900" role="region" aria-label="Selected records">
          {confirming ? (
            <>
              <span>
                Delete {confirming.length} record{confirming.length === 1 ? "" : "s"} in one change?
              </span>
              <Button variant="danger" disabled={pending} onClick={() => remove(confirming)} autoFocus>
                {pending ? "Deleting…" : "Delete"}
              </Button>
              <Button variant="secondary" onClick={() => (setConfirming(null), setFocusTarget("opener"))}>
                Cancel
              </Button>
            </>
          ) : (
            <>
              <span>{selected.size} selected</span>
              <Button variant="danger" onClick={() => setConfirming([...selected])}>
                Delete selected
              </Button>
            </>
          )}
        </div>
      )}

      <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
        <table className="w-full text-left text-sm" aria-label="Records">
          <thead className="bg-slate-50 text-xs uppercase text-slate-500 dark:bg-slate-900 dark:text-slate-400">
            <tr>
              {canEdit && (
                <th scope="col" className="w-8 px-3 py-2">
                  <input
                    type="checkbox"
                    aria-label="Select all records on this page"
                    checked={allOnPage}
                    onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((r) => r.id)) : new Set())}
                  />
                </th>
              )}
              {sortHeader("name", "Name")}
              {sortHeader("type", "Type")}
              {sortHeader("ttl", "TTL", "text-right")}
              {sortHeader("content", "Content")}
              {canEdit && (
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
            {rows.map((row) => (
              <tr key={row.id} data-testid="record-row" className={cx(selected.has(row.id) && "bg-blue-50 dark:bg-slate-800")}>
                {canEdit && (
                  <td className="px-3 py-2">
                    <input
                      type="checkbox"
                      aria-label={`Select ${row.name} ${row.type} ${row.content}`}
                      checked={selected.has(row.id)}
                      onChange={(e) =>
                        setSelected((s) => {
                          const next = new Set(s);
                          if (e.target.checked) next.add(row.id);
                          else next.delete(row.id);
                          return next;
                        })
                      }
                    />
                  </td>
                )}
                <td className="px-3 py-2 font-medium break-all">{row.name}</td>
                <td className="px-3 py-2">{row.type}</td>
                <td className="px-3 py-2 text-right tabular-nums" title={describeTtl(row.ttl)}>
                  {row.ttl}
                </td>
                <td className="px-3 py-2 font-mono text-xs break-all">{row.content}</td>
                {canEdit && (
                  <td className="px-3 py-2 text-right whitespace-nowrap">
                    <Button variant="ghost" onClick={() => edit(row)} aria-label={`Edit ${row.name} ${row.type} ${row.content}`}>
                      Edit
                    </Button>
                    <Button
                      variant="ghost"
                      onClick={(e) => ((opener.current = e.currentTarget), setConfirming([row.id]))}
                      aria-label={`Delete ${row.name} ${row.type} ${row.content}`}
                    >
                      Delete
                    </Button>
                  </td>
                )}
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={canEdit ? 6 : 4} className="px-3 py-6 text-center text-slate-500">
                  {filtered ? "No record matches these filters." : "This zone has no records yet."}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>

      <nav aria-label="Pages" className="flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600 dark:text-slate-400">
        <span data-testid="records-count">
          {first}–{lastShown} of {props.total} record{props.total === 1 ? "" : "s"}
          {filtered ? ` (${props.zoneTotal} in the zone)` : ""}
        </span>
        <span className="flex items-center gap-2">
          {props.page > 1 ? <Link href={href({ page: props.page - 1 })} className="rounded border border-slate-300 px-2 py-1 dark:border-slate-600">Previous</Link> : null}
          <span>
            Page {props.page} of {props.pages}
          </span>
          {props.page < props.pages ? <Link href={href({ page: props.page + 1 })} className="rounded border border-slate-300 px-2 py-1 dark:border-slate-600">Next</Link> : null}
        </span>
      </nav>
    </div>
  );
}
