// Portal accounts. A person may already exist as a workspace-platform user (created from an event
// with an email) or as an invited owner; signing in links to that row by email.
import type { DbOrTx } from "../../db/client";

export async function findOrCreateUserByEmail(db: DbOrTx, args: { email: string; name: string | null }) {
  const email = args.email.trim().toLowerCase();
  return db.user.upsert({
    where: { email },
    update: {},
    create: { email, name: args.name },
  });
}
