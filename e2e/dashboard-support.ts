// Helpers for the dashboard journeys: a fresh team per test (through the machine API, as the
// workspace platform would create it) so tests never depend on each other's changes.
import type { APIRequestContext, Page } from "@playwright/test";
import { signInAsDemoUser } from "./fixtures";
import type pg from "pg";
import { hashApiKey } from "../server/services/api-keys";

// The dashboard journeys bring their own all-scopes key (stored hashed, as admins create them), so
// they do not depend on how the bootstrap key is configured.
const DASHBOARD_KEY = "wup_e2e_dashboard_journeys_key_0001";
const auth = { Authorization: `Bearer ${DASHBOARD_KEY}` };

export async function ensureApiKey(db: pg.Pool): Promise<void> {
  await db.query(
    `INSERT INTO "ApiKey" (name, prefix, hash, scopes) VALUES ('e2e dashboard journeys', 'wup_e2e_', $1, $2::text[]) ON CONFLICT (hash) DO NOTHING`,
    [hashApiKey(DASHBOARD_KEY), ["events:write", "spending:read", "teams:write", "usage:read"]],
  );
}

export async function createTeamWithUsage(
  request: APIRequestContext,
  args: { teamId: string; name: string; ownerEmail: string; userId: string; runs: { workspaceClass: string; hoursAgoStart: number; hoursAgoStop: number }[] },
): Promise<void> {
  const put = await request.put(`/api/v1/teams/${args.teamId}`, { headers: auth, data: { name: args.name, ownerEmails: [args.ownerEmail] } });
  if (!put.ok()) throw new Error(`PUT team failed: ${put.status()} ${await put.text()}`);
  const now = Date.now();
  const events = args.runs.flatMap((run, i) => {
    const instanceId = `${args.teamId}-inst-${i}`;
    const base = { instanceId, workspaceId: `${args.teamId}-ws-${i}`, teamId: args.teamId, userId: args.userId, workspaceClass: run.workspaceClass };
    return [
      { ...base, id: `${instanceId}-start`, type: "started", occurredAt: new Date(now - run.hoursAgoStart * 3_600_000).toISOString() },
      { ...base, id: `${instanceId}-stop`, type: "stopped", occurredAt: new Date(now - run.hoursAgoStop * 3_600_000).toISOString() },
    ];
  });
  const post = await request.post("/api/v1/workspace-events", { headers: auth, data: { events } });
  if (post.status() !== 202) throw new Error(`events failed: ${post.status()} ${await post.text()}`);
}

export async function spendingCheck(request: APIRequestContext, teamId: string): Promise<{ allowed: boolean; reason?: string; usedCredits: number; limitCredits: number }> {
  const res = await request.post("/api/v1/spending-check", { headers: auth, data: { teamId } });
  if (!res.ok()) throw new Error(`spending check failed: ${res.status()} ${await res.text()}`);
  return (await res.json()) as { allowed: boolean; reason?: string; usedCredits: number; limitCredits: number };
}

/** "1,234.56" → 123456n */
export function centsOfDisplay(text: string): bigint {
  const clean = text.replaceAll(",", "").trim();
  const m = /^(-)?(\d+)\.(\d{2})$/.exec(clean);
  if (!m) throw new Error(`not a credits figure: ${text}`);
  const cents = BigInt(m[2] ?? "0") * 100n + BigInt(m[3] ?? "0");
  return m[1] ? -cents : cents;
}

/** Switches the signed-in account within one test: drop the session, then the demo sign-in again. */
export async function signInAgainAs(page: Page, email: string): Promise<void> {
  await page.context().clearCookies();
  await signInAsDemoUser(page, email);
}
