import { redirect } from "next/navigation";
import { db } from "@/server/db/client";
import { sessionUser } from "@/server/trpc/context";
import { listTeamsForUser } from "@/server/services/teams/directory";

export const dynamic = "force-dynamic";

/** Home: straight to the first team's usage, or to sign-in. */
export default async function Home() {
  const user = await sessionUser();
  if (!user) redirect("/signin");
  const teams = await listTeamsForUser(db(), user);
  const first = teams[0];
  if (!first) redirect("/no-team");
  redirect(`/teams/${encodeURIComponent(first.id)}/usage`);
}
