import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { SignOutButton } from "@/app/_components/sign-out-button";
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
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-3 px-4 py-3">
          <Link href="/" className="font-semibold text-slate-900">
            Workspace usage
          </Link>
          <span className="rounded bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900">Platform admin</span>
          <div className="ml-auto flex items-center gap-2 text-sm text-slate-600">
            <span className="hidden sm:inline" data-testid="signed-in-as">
              {user.email}
            </span>
            <SignOutButton />
          </div>
        </div>
        <AdminNav />
      </header>
      <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
    </div>
  );
}
