// Runs one job and records it in JobRun (started, finished, outcome, counts, error). The schedule,
// the event queue and `npm run job` all come through here, so every run is visible to admins.
import { Prisma } from "../server/db/generated/client";
import { jobCatalog, type JobName, type JobPayload } from "../server/queue/jobs";
import { jobDurationSeconds, jobRunsTotal } from "../server/lib/metrics";
import { jobHandlers } from "./jobs";
import type { JobDeps, JobResult } from "./jobs/types";

export type JobTrigger = "schedule" | "manual" | "event";

export async function runJob<N extends JobName>(
  deps: JobDeps,
  name: N,
  rawPayload: unknown,
  trigger: JobTrigger,
  handlers: { [K in JobName]: (deps: JobDeps, payload: JobPayload<K>) => Promise<JobResult> } = jobHandlers,
): Promise<JobResult & { runId: bigint }> {
  const payload = jobCatalog[name].payload.parse(rawPayload ?? {}) as JobPayload<N>;
  const run = await deps.db.jobRun.create({ data: { job: name, trigger, startedAt: deps.clock.now() } });
  const timer = jobDurationSeconds.startTimer({ job: name });
  const log = deps.logger.child({ job: name, runId: run.id.toString() });
  try {
    const handler = handlers[name] as (d: JobDeps, p: JobPayload<N>) => Promise<JobResult>;
    const result = await handler({ ...deps, logger: log }, payload);
    await deps.db.jobRun.update({
      where: { id: run.id },
      data: {
        outcome: "SUCCEEDED",
        finishedAt: new Date(),
        counts: result.counts,
        ...(result.watermark ? { watermark: result.watermark } : {}),
      },
    });
    jobRunsTotal.inc({ job: name, outcome: "succeeded" });
    log.info({ counts: result.counts }, "job succeeded");
    return { ...result, runId: run.id };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await deps.db.jobRun
      .update({ where: { id: run.id }, data: { outcome: "FAILED", finishedAt: new Date(), error: message.slice(0, 4000), counts: Prisma.DbNull } })
      .catch((e: unknown) => log.error({ err: e }, "could not record the failed run"));
    jobRunsTotal.inc({ job: name, outcome: "failed" });
    log.error({ err: error }, "job failed");
    throw error;
  } finally {
    timer();
  }
}
