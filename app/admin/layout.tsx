import { notFound, redirect } from "next/navigation";
import { AppHeader } from "@/app/_components/app-header";
import { sessionUser } from "@/server/trpc/context";
import { AdminNav } from "./_components/admin-nav";

export const dynamic = "force-dynamic";
export const metadata = { title: { default: "Admin", template: "%s · Admin · Workspace usage" } };

/** Platform staff only; everyone else gets a 404 (the admin area is not advertised). */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const user = await sessionUser();
  if (!user) redirect("/signin?callbackUrl=/admin");
  if (!user.isPlatformAdmin) notFound();
  return (
    <div className="min-h-screen">
      <AppHeader
        email={user.email}
        context={<span className="rounded bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900">Platform admin</span>}
        nav={<AdminNav />}
      />
      <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
    </div>
  );
}
