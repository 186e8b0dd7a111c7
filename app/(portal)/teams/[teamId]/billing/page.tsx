import { redirect } from "next/navigation";
import { HydrateClient, trpc, getQueryClient } from "@/app/_trpc/server";
import { db } from "@/server/db/client";
import { sessionUser } from "@/server/trpc/context";
import { BillingPanel } from "./_components/billing-panel";

export const metadata = { title: "Billing" };

export default async function BillingPage({
  params,
  searchParams,
}: {
  params: Promise<{ teamId: string }>;
  searchParams: Promise<{ checkout?: string; upgraded?: string }>;
}) {
  const { teamId } = await params;
  const { checkout, upgraded } = await searchParams;
  const user = await sessionUser();
  if (!user) redirect("/signin");
  const membership = await db().membership.findUnique({ where: { teamId_userId: { teamId, userId: user.id } }, select: { role: true } });
  void getQueryClient().prefetchQuery(trpc.billing.overview.queryOptions({ teamId }));
  return (
    <HydrateClient>
      <h1 className="text-xl font-semibold">Billing</h1>
      <BillingPanel
        teamId={teamId}
        isOwner={membership?.role === "OWNER"}
        notice={upgraded === "1" ? "upgraded" : checkout === "cancelled" ? "cancelled" : null}
      />
    </HydrateClient>
  );
}
