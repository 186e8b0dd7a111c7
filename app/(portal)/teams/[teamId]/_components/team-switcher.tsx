"use client";
import { usePathname, useRouter } from "next/navigation";
import type { TeamListItem } from "@/server/services/teams/directory";

export function TeamSwitcher({ teams, currentTeamId }: { teams: TeamListItem[]; currentTeamId: string }) {
  const router = useRouter();
  const pathname = usePathname();
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="sr-only">Team</span>
      <select
        aria-label="Switch team"
        className="rounded-md border border-slate-300 bg-white px-2 py-1.5"
        value={currentTeamId}
        onChange={(e) => {
          const section = pathname.split("/")[3] ?? "usage";
          router.push(`/teams/${encodeURIComponent(e.target.value)}/${section}`);
        }}
      >
        {teams.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
            {t.role ? ` (${t.role === "OWNER" ? "owner" : "member"})` : " (admin view)"}
          </option>
        ))}
      </select>
    </label>
  );
}
