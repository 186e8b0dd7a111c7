"use client";
import { NavTabs } from "@/app/_components/nav-tabs";

const tabs = [
  { href: "/admin", label: "Teams", matches: (p: string) => p === "/admin" || p.startsWith("/admin/teams") },
  { href: "/admin/jobs", label: "Job runs" },
  { href: "/admin/api-keys", label: "API keys" },
];

export function AdminNav() {
  return <NavTabs label="Admin" tabs={tabs} />;
}
