import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { signIn } from "@/server/auth/config";
import { configuredProviders } from "@/server/auth/config";
import { db } from "@/server/db/client";
import { isDemoMode } from "@/server/config/env";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

function providerInfo() {
  return configuredProviders()
    .map((p) => (typeof p === "function" ? p() : p))
    // Demo accounts get their own list below (Auth.js reports the credentials provider's id as
    // "credentials", whatever id it was configured with).
    .filter((p) => p.type !== "credentials")
    .map((p) => ({ id: p.id, name: p.name }));
}

async function demoAccounts() {
  if (!isDemoMode()) return [];
  const users = await db().user.findMany({
    where: { email: { not: null }, OR: [{ isPlatformAdmin: true }, { memberships: { some: {} } }] },
    include: { memberships: { include: { team: { select: { name: true } } } } },
    orderBy: [{ isPlatformAdmin: "desc" }, { email: "asc" }],
    take: 20,
  });
  return users.map((u) => ({
    email: u.email ?? "",
    name: u.name ?? u.email ?? "",
    label: u.isPlatformAdmin
      ? "Platform admin"
      : u.memberships.map((m) => `${m.role === "OWNER" ? "Owner" : "Member"} · ${m.team.name}`).join(", "),
  }));
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl = "/", error } = await searchParams;
  const providers = providerInfo();
  const demo = await demoAccounts();
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center p-6">
      <h1 className="text-2xl font-semibold">Sign in to Workspace usage</h1>
      <p className="mt-1 text-sm text-slate-600">See what your team&apos;s workspaces cost and cap spending.</p>
      {error && (
        <p role="alert" className="mt-4 rounded-md bg-red-50 p-3 text-sm text-red-800">
          Sign-in failed ({error}). Try again, or use another sign-in method.
        </p>
      )}
      <div className="mt-6 space-y-3">
        {providers.map((p) => (
          <form
            key={p.id}
            action={async () => {
              "use server";
              await signIn(p.id, { redirectTo: callbackUrl });
            }}
          >
            <button type="submit" className="w-full rounded-md bg-slate-900 px-4 py-2.5 font-medium text-white hover:bg-slate-700">
              Continue with {p.name}
            </button>
          </form>
        ))}
        {providers.length === 0 && demo.length === 0 && (
          <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
            No sign-in method is configured. Set OIDC_ISSUER / OIDC_CLIENT_ID or AUTH_GITHUB_ID, or DEMO_MODE=1 for demo accounts.
          </p>
        )}
      </div>
      {demo.length > 0 && (
        <section className="mt-8">
          <h2 className="text-sm font-semibold uppercase tracking-wide text-slate-500">Demo accounts</h2>
          <ul className="mt-2 divide-y divide-slate-200 rounded-md border border-slate-200 bg-white">
            {demo.map((d) => (
              <li key={d.email}>
                <form
                  action={async () => {
                    "use server";
                    try {
                      await signIn("demo", { email: d.email, redirectTo: callbackUrl });
                    } catch (e) {
                      if (e instanceof AuthError) redirect(`/signin?error=${e.type}`);
                      throw e;
                    }
                  }}
                >
                  <button type="submit" className="flex w-full items-center justify-between px-4 py-3 text-left hover:bg-slate-50">
                    <span>
                      <span className="block font-medium">{d.name}</span>
                      <span className="block text-xs text-slate-500">{d.label}</span>
                    </span>
                    <span className="text-sm text-indigo-600">Sign in as {d.email}</span>
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
