// What a job handler receives and returns. The runner (worker/runner.ts) records every run in
// JobRun with these counts; handlers only parse nothing else and call a service.
import type Stripe from "stripe";
import type { Db } from "../../server/db/client";
import type { AppConfig } from "../../server/config/config";
import type { Clock } from "../../server/lib/clock";
import type { Logger } from "../../server/lib/logger";
import type { JobName, JobPayload } from "../../server/queue/jobs";

export interface JobDeps {
  db: Db;
  config: AppConfig;
  clock: Clock;
  logger: Logger;
  /** Stripe client for the stripe-* jobs; defaults to the process-wide one from the environment. */
  stripe?: Stripe;
}

export interface JobResult {
  /** Figures shown to platform admins in the job-runs list, e.g. { instances: 1200, batches: 3 }. */
  counts: Record<string, number>;
  /** For the ledger job: instances updated before this instant are reconciled. */
  watermark?: Date;
}

export type JobHandler<N extends JobName> = (deps: JobDeps, payload: JobPayload<N>) => Promise<JobResult>;
