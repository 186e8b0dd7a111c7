import { redirect } from "next/navigation";
import { sessionUser } from "@/server/trpc/context";

export const dynamic = "force-dynamic";

/** Everything under (portal) needs a signed-in user. */
export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const user = await sessionUser();
  if (!user) redirect("/signin");
  return <>{children}</>;
}
