// The spending-check decision (SPEC §3.5), pure: given the cost center's state and the current
// cycle's usage, may the team start a workspace, and if not, why and what can the owner do.
export type SpendingDenialReason = "SPENDING_LIMIT_REACHED" | "BLOCKED" | "PAYMENT_PAST_DUE";

export interface SpendingState {
  status: "ACTIVE" | "PAST_DUE" | "BLOCKED";
  pastDueSince: Date | null;
  usedCents: bigint;
  limitCents: bigint;
  now: Date;
  pastDueGraceHours: number;
  /** Team option: at the limit, tell the platform to stop running workspaces after this grace. */
  stopWorkspacesAtLimit: boolean;
  stopWorkspacesGraceMinutes: number;
}

export interface SpendingDecision {
  allowed: boolean;
  reason?: SpendingDenialReason;
  remainingCents: bigint;
  /** What the team owner can do about a denial. */
  message?: string;
  stopRunningWorkspacesAfterSeconds?: number;
}

export function decideSpending(s: SpendingState): SpendingDecision {
  const remainingCents = s.limitCents > s.usedCents ? s.limitCents - s.usedCents : 0n;
  const limitReached = s.usedCents >= s.limitCents;
  // Most severe first: a block overrides everything, then an overdue payment, then the limit.
  if (s.status === "BLOCKED") {
    return { allowed: false, reason: "BLOCKED", remainingCents, message: "The team is blocked. The team owner should contact support." };
  }
  if (s.status === "PAST_DUE") {
    const since = s.pastDueSince ?? s.now;
    const graceEnds = since.getTime() + s.pastDueGraceHours * 3_600_000;
    if (s.now.getTime() >= graceEnds) {
      return {
        allowed: false,
        reason: "PAYMENT_PAST_DUE",
        remainingCents,
        message: "A payment is past due. The team owner can update the payment method under Billing → Manage billing.",
      };
    }
  }
  if (limitReached) {
    return {
      allowed: false,
      reason: "SPENDING_LIMIT_REACHED",
      remainingCents,
      message: "The team's spending limit for this billing cycle is reached. The team owner can raise the limit or upgrade the plan.",
      ...(s.stopWorkspacesAtLimit ? { stopRunningWorkspacesAfterSeconds: s.stopWorkspacesGraceMinutes * 60 } : {}),
    };
  }
  return { allowed: true, remainingCents };
}
