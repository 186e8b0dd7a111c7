"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

export interface NavTab {
  href: string;
  label: string;
  /** Which paths count as this tab; by default the tab's href and everything under it. */
  matches?: (pathname: string) => boolean;
}

/** The row of section tabs under a page header (team pages, admin pages). */
export function NavTabs({ label, tabs }: { label: string; tabs: NavTab[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className="mx-auto max-w-6xl overflow-x-auto px-4">
      <ul className="flex gap-1">
        {tabs.map((tab) => {
          const active = tab.matches ? tab.matches(pathname) : pathname.startsWith(tab.href);
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={active ? "page" : undefined}
                className={`inline-block whitespace-nowrap border-b-2 px-3 py-2 text-sm ${
                  active ? "border-indigo-600 font-medium text-indigo-700" : "border-transparent text-slate-600 hover:text-slate-900"
                }`}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
