"use client";
// A row of navigation tabs (the tenant's, a domain's): the current page's tab is marked for
// screen readers (aria-current) and underlined.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cx } from "@/app/_components/ui.tsx";

export interface Tab {
  href: string;
  label: string;
  /** Only this exact path selects it (an overview whose sub-pages have tabs of their own). */
  exact?: boolean;
}

export function Tabs({ label, tabs, className }: { label: string; tabs: Tab[]; className?: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className={cx("flex gap-1", className)}>
      {tabs.map((tab) => {
        const active = tab.exact ? pathname === tab.href : pathname === tab.href || pathname.startsWith(`${tab.href}/`);
        return (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={active ? "page" : undefined}
            className={cx(
              "-mb-px border-b-2 px-3 py-2 text-sm whitespace-nowrap",
              active ? "border-blue-600 font-medium text-blue-700 dark:text-blue-300" : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100",
            )}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
