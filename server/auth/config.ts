// Sign-in with any standard OpenID Connect provider, GitHub when its keys are set, and one-click demo
// accounts only in demo mode. Sessions are JWTs; the portal's own User row (found or created by
// email on first sign-in) is the identity every permission check uses.
import NextAuth, { type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import type { Provider } from "next-auth/providers";
import { db } from "../db/client";
import { findOrCreateUserByEmail } from "../services/users/accounts";
import { isDemoMode } from "../config/env";

export function configuredProviders(): Provider[] {
  const providers: Provider[] = [];
  if (process.env.OIDC_ISSUER && process.env.OIDC_CLIENT_ID) {
    providers.push({
      id: "oidc",
      name: process.env.OIDC_NAME ?? "Single sign-on",
      type: "oidc",
      issuer: process.env.OIDC_ISSUER,
      clientId: process.env.OIDC_CLIENT_ID,
      clientSecret: process.env.OIDC_CLIENT_SECRET,
      checks: ["pkce", "state"],
    });
  }
  if (process.env.AUTH_GITHUB_ID && process.env.AUTH_GITHUB_SECRET) providers.push(GitHub);
  if (isDemoMode()) {
    providers.push(
      Credentials({
        id: "demo",
        name: "Demo account",
        credentials: { email: { label: "Email", type: "email" } },
        // Demo mode only: every seeded account signs in with one click, no password.
        async authorize(credentials) {
          const email = typeof credentials?.email === "string" ? credentials.email.toLowerCase() : "";
          const user = email ? await db().user.findUnique({ where: { email } }) : null;
          return user ? { id: user.id, email: user.email, name: user.name } : null;
        },
      }),
    );
  }
  return providers;
}

export const authConfig: NextAuthConfig = {
  providers: configuredProviders(),
  session: { strategy: "jwt" },
  trustHost: true,
  pages: { signIn: "/signin" },
  callbacks: {
    async signIn({ user, profile }) {
      const email = (user.email ?? (typeof profile?.email === "string" ? profile.email : "")).toLowerCase();
      return email.length > 0;
    },
    async jwt({ token, user, profile }) {
      if (user) {
        const email = (user.email ?? (typeof profile?.email === "string" ? profile.email : "")).toLowerCase();
        const account = await findOrCreateUserByEmail(db(), { email, name: user.name ?? null });
        token.sub = account.id;
        token.email = account.email;
      }
      return token;
    },
    async session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
};

export const { handlers, auth, signIn, signOut } = NextAuth(authConfig);
