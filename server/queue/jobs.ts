// The job catalog: the contract between producers (web app, CLI) and the worker. One entry per
// job: its payload schema, retry policy and (for scheduled jobs) the config key of its schedule.
import { z } from "zod";

export const jobCatalog = {
  ledger: { payload: z.strictObject({}), attempts: 3, scheduled: true },
  reset: { payload: z.strictObject({}), attempts: 3, scheduled: true },
  "stripe-sync": { payload: z.strictObject({}), attempts: 3, scheduled: true },
  "stripe-event": { payload: z.strictObject({ eventId: z.string().min(1) }), attempts: 8, scheduled: false },
} as const;

export type JobName = keyof typeof jobCatalog;
export type JobPayload<N extends JobName> = z.infer<(typeof jobCatalog)[N]["payload"]>;

export const jobNames = Object.keys(jobCatalog) as JobName[];

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(jobCatalog, name);
}

/** BullMQ queue name; one queue per job keeps a slow Stripe call from delaying the ledger. */
export function queueName(job: JobName): string {
  return `usage-${job}`;
}
