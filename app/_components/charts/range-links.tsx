// The period a chart page shows, as links (?range=1h|24h|7d): plain links keep the choice in the
// URL (shareable, back button) and work without JavaScript. The current one is marked for
// screen readers (aria-current).
import Link from "next/link";
import { cx } from "@/app/_components/ui.tsx";

export interface Choice {
  value: string;
  label: string;
}

/** A row of links that set one search parameter, keeping the others (`params`). */
export function ChoiceLinks({ label, name, choices, current, base, params = {} }: { label: string; name: string; choices: Choice[]; current: string; base: string; params?: Record<string, string> }) {
  return (
    <nav aria-label={label} className="inline-flex overflow-hidden rounded-md border border-slate-300 text-sm dark:border-slate-600">
      {choices.map((choice) => {
        const query = new URLSearchParams({ ...params, [name]: choice.value });
        const active = choice.value === current;
        return (
          <Link
            key={choice.value}
            href={`${base}?${query}`}
            aria-current={active ? "page" : undefined}
            className={cx(
              "border-l border-slate-300 px-3 py-1 first:border-l-0 dark:border-slate-600",
              active ? "bg-blue-600 font-medium text-white dark:bg-blue-500" : "bg-white text-slate-700 hover:bg-slate-50 dark:bg-slate-900 dark:text-slate-200 dark:hover:bg-slate-800",
            )}
          >
            {choice.label}
          </Link>
        );
      })}
    </nav>
  );
}
