"use client";
import { NavTabs } from "@/app/_components/nav-tabs";

export function TeamNav({ teamId, isOwner, isAdmin }: { teamId: string; isOwner: boolean; isAdmin: boolean }) {
  const base = `/teams/${encodeURIComponent(teamId)}`;
  const tabs = [
    { href: `${base}/usage`, label: "Usage" },
    { href: `${base}/billing`, label: "Billing" },
    { href: `${base}/limit`, label: "Spending limit" },
    { href: `${base}/members`, label: "Members" },
    ...(isOwner ? [{ href: `${base}/notifications`, label: "Notifications" }] : []),
    ...(isAdmin ? [{ href: "/admin", label: "Admin" }] : []),
  ];
  return <NavTabs label="Team" tabs={tabs} />;
}
