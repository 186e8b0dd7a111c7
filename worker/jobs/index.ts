// Job name → handler. Handlers are thin: they call one service and return counts.
import type { JobName } from "../../server/queue/jobs";
import { ledgerJob } from "./ledger";
import { resetJob } from "./reset";
import { stripeEventJob } from "./stripe-event";
import { stripeSyncJob } from "./stripe-sync";
import type { JobHandler } from "./types";

export const jobHandlers: { [N in JobName]: JobHandler<N> } = {
  ledger: ledgerJob,
  reset: resetJob,
  "stripe-sync": stripeSyncJob,
  "stripe-event": stripeEventJob,
};
