import { TeamSearch } from "./_components/team-search";

export const metadata = { title: "Teams" };

export default function AdminTeamsPage() {
  return (
    <>
      <h1 className="text-xl font-semibold">Teams</h1>
      <TeamSearch />
    </>
  );
}
