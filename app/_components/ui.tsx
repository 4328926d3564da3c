// Small presentational building blocks shared by the panel's pages and forms. No state, so
// server and client components can both use them. Every input has a visible label; errors are
// linked to their input with aria-describedby and announced (role="alert").
import type { ComponentProps, InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

export function cx(...classes: (string | false | null | undefined)[]): string {
  return classes.filter(Boolean).join(" ");
}

type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";

const BUTTON: Record<ButtonVariant, string> = {
  primary: "bg-blue-600 text-white hover:bg-blue-700 disabled:bg-blue-400 dark:bg-blue-500 dark:hover:bg-blue-400",
  secondary:
    "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800",
  danger: "bg-red-600 text-white hover:bg-red-700 disabled:bg-red-400",
  ghost: "text-blue-700 hover:bg-blue-50 dark:text-blue-300 dark:hover:bg-slate-800",
};

// React 19 passes `ref` as a prop, so callers can focus a Button.
export function Button({ variant = "primary", className, ...props }: ComponentProps<"button"> & { variant?: ButtonVariant }) {
  return (
    <button
      type="button"
      {...props}
      className={cx("inline-flex items-center justify-center gap-1 rounded-md px-3 py-1.5 text-sm font-medium disabled:cursor-not-allowed", BUTTON[variant], className)}
    />
  );
}

const CONTROL =
  "block w-full rounded-md border bg-white px-2.5 py-1.5 text-sm text-slate-900 placeholder:text-slate-400 dark:bg-slate-900 dark:text-slate-100";
const controlBorder = (error?: string) => (error ? "border-red-500 dark:border-red-400" : "border-slate-300 dark:border-slate-600");

interface FieldProps {
  id: string;
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  className?: string;
}

function FieldShell({ id, label, error, hint, className, children }: FieldProps & { children: ReactNode }) {
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-700 dark:text-slate-200">
        {label}
      </label>
      {children}
      {hint && !error && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500 dark:text-slate-400">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} role="alert" className="mt-1 text-xs font-medium text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}

const describedBy = (id: string, error?: string, hint?: ReactNode) => (error ? `${id}-error` : hint ? `${id}-hint` : undefined);

export function TextField({ id, label, error, hint, className, suffix, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement> & { suffix?: string }) {
  return (
    <FieldShell id={id} label={label} error={error} hint={hint} className={className}>
      <div className="flex items-center gap-1">
        <input id={id} name={id} aria-invalid={!!error} aria-describedby={describedBy(id, error, hint)} {...input} className={cx(CONTROL, controlBorder(error))} />
        {suffix && <span className="shrink-0 text-sm text-slate-500 dark:text-slate-400">{suffix}</span>}
      </div>
    </FieldShell>
  );
}

export function TextArea({ id, label, error, hint, className, ...input }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <FieldShell id={id} label={label} error={error} hint={hint} className={className}>
      <textarea id={id} name={id} aria-invalid={!!error} aria-describedby={describedBy(id, error, hint)} {...input} className={cx(CONTROL, controlBorder(error), "font-mono")} />
    </FieldShell>
  );
}

export function SelectField({ id, label, error, hint, className, children, ...select }: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <FieldShell id={id} label={label} error={error} hint={hint} className={className}>
      <select id={id} name={id} aria-invalid={!!error} aria-describedby={describedBy(id, error, hint)} {...select} className={cx(CONTROL, controlBorder(error))}>
        {children}
      </select>
    </FieldShell>
  );
}

type Tone = "info" | "success" | "error" | "warning";

const NOTICE: Record<Tone, string> = {
  info: "border-blue-200 bg-blue-50 text-blue-900 dark:border-blue-900 dark:bg-blue-950 dark:text-blue-100",
  success: "border-green-200 bg-green-50 text-green-900 dark:border-green-900 dark:bg-green-950 dark:text-green-100",
  error: "border-red-200 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100",
  warning: "border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-100",
};

export function Notice({ tone = "info", children, className, testId }: { tone?: Tone; children: ReactNode; className?: string; testId?: string }) {
  return (
    <div role={tone === "error" ? "alert" : "status"} data-testid={testId} className={cx("rounded-md border px-3 py-2 text-sm", NOTICE[tone], className)}>
      {children}
    </div>
  );
}

export function Card({ title, children, className, actions }: { title?: ReactNode; children: ReactNode; className?: string; actions?: ReactNode }) {
  return (
    <section className={cx("rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900", className)}>
      {(title || actions) && (
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          {title && <h2 className="text-base font-semibold">{title}</h2>}
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}

/** An explanation users can open where they tend to get confused. */
export function Explainer({ summary, children, className }: { summary: ReactNode; children: ReactNode; className?: string }) {
  return (
    <details className={cx("rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm dark:border-slate-800 dark:bg-slate-900/60", className)}>
      <summary className="cursor-pointer font-medium text-slate-700 dark:text-slate-200">{summary}</summary>
      <div className="mt-2 space-y-2 text-slate-600 dark:text-slate-300">{children}</div>
    </details>
  );
}

export function Badge({ tone = "info", children }: { tone?: "info" | "success" | "warning" | "neutral"; children: ReactNode }) {
  const tones = {
    info: "bg-blue-100 text-blue-800 dark:bg-blue-900 dark:text-blue-100",
    success: "bg-green-100 text-green-800 dark:bg-green-900 dark:text-green-100",
    warning: "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100",
    neutral: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200",
  };
  return <span className={cx("inline-flex items-center rounded px-1.5 py-0.5 text-xs font-medium", tones[tone])}>{children}</span>;
}

export function PageTitle({ children, sub }: { children: ReactNode; sub?: ReactNode }) {
  return (
    <div className="mb-4">
      <h1 className="text-xl font-semibold break-all sm:text-2xl">{children}</h1>
      {sub && <div className="mt-1 text-sm text-slate-600 dark:text-slate-400">{sub}</div>}
    </div>
  );
}

/** A data table: scrolls sideways on small screens, labelled for screen readers. */
export function Table({ label, head, children }: { label: string; head: ReactNode; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table className="w-full text-left text-sm" aria-label={label}>
        <thead className="bg-slate-50 text-xs uppercase text-slate-500 dark:bg-slate-900 dark:text-slate-400">
          <tr>{head}</tr>
        </thead>
        <tbody className="divide-y divide-slate-200 dark:divide-slate-800">{children}</tbody>
      </table>
    </div>
  );
}

export function Th({ className, children, ...props }: ComponentProps<"th">) {
  return (
    <th scope="col" {...props} className={cx("px-3 py-2", className)}>
      {children}
    </th>
  );
}
