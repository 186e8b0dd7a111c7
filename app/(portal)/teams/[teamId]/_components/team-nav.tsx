"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

export function TeamNav({ teamId, isOwner, isAdmin }: { teamId: string; isOwner: boolean; isAdmin: boolean }) {
  const pathname = usePathname();
  const base = `/teams/${encodeURIComponent(teamId)}`;
  const items = [
    { href: `${base}/usage`, label: "Usage" },
    { href: `${base}/billing`, label: "Billing" },
    { href: `${base}/limit`, label: "Spending limit" },
    { href: `${base}/members`, label: "Members" },
    ...(isOwner ? [{ href: `${base}/notifications`, label: "Notifications" }] : []),
    ...(isAdmin ? [{ href: "/admin", label: "Admin" }] : []),
  ];
  return (
    <nav aria-label="Team" className="mx-auto max-w-6xl overflow-x-auto px-4">
      <ul className="flex gap-1">
        {items.map((item) => {
          const active = pathname.startsWith(item.href);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={`inline-block whitespace-nowrap border-b-2 px-3 py-2 text-sm ${
                  active ? "border-indigo-600 font-medium text-indigo-700" : "border-transparent text-slate-600 hover:text-slate-900"
                }`}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
