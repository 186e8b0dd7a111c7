// The worker against the real PostgreSQL and Redis: schedulers from the config, a job run through
// the queue recorded in JobRun, failures recorded, health and metrics, graceful shutdown.
import { randomBytes } from "node:crypto";
import { Queue, QueueEvents } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "../server/config/config";
import { redisConnectionOptions } from "../server/config/env";
import { systemClock } from "../server/lib/clock";
import { logger } from "../server/lib/logger";
import { queueName } from "../server/queue/jobs";
import { useTestDatabase } from "../server/testing/db";
import exampleConfig from "../usage.config.example.json";
import { jobHandlers } from "./jobs";
import { runJob } from "./runner";
import { startWorker, type RunningWorker } from "./worker";

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const connection = redisConnectionOptions(redisUrl);

describe("worker", () => {
  const t = useTestDatabase();
  const prefix = `test-worker-${randomBytes(4).toString("hex")}`;
  const config = parseConfig({
    ...exampleConfig,
    schedules: { ledger: { cron: "*/5 * * * *" }, reset: { cron: "0 * * * *" }, "stripe-sync": { cron: "*/15 * * * *", enabled: false } },
  });
  let worker: RunningWorker | undefined;
  afterAll(async () => {
    await worker?.close();
  });

  it("registers the configured schedulers, runs a queued job and records it", async () => {
    // A scheduler left over from an older config must be removed at start.
    const stale = new Queue(queueName("stripe-sync"), { connection, prefix });
    await stale.upsertJobScheduler("schedule:stripe-sync", { pattern: "* * * * *" }, { name: "stripe-sync", data: {} });
    await stale.close();

    worker = await startWorker({ db: t.db, config, clock: systemClock, logger, redisUrl, prefix, port: 0, shutdownTimeoutMs: 5000 });
    const ledgerQueue = worker.queues.get("ledger");
    const resetQueue = worker.queues.get("reset");
    const syncQueue = worker.queues.get("stripe-sync");
    expect((await ledgerQueue?.getJobSchedulers())?.map((s) => [s.key, s.pattern])).toEqual([["schedule:ledger", "*/5 * * * *"]]);
    expect((await resetQueue?.getJobSchedulers())?.map((s) => [s.key, s.pattern])).toEqual([["schedule:reset", "0 * * * *"]]);
    expect(await syncQueue?.getJobSchedulers()).toEqual([]);

    const events = new QueueEvents(queueName("ledger"), { connection, prefix });
    await events.waitUntilReady();
    const job = await ledgerQueue?.add("ledger", {});
    const result = (await job?.waitUntilFinished(events, 20_000)) as { runId: string };
    await events.close();

    const run = await t.db.jobRun.findUniqueOrThrow({ where: { id: BigInt(result.runId) } });
    expect(run.job).toBe("ledger");
    expect(run.trigger).toBe("event");
    expect(run.outcome).toBe("SUCCEEDED");
    expect(run.finishedAt?.getTime()).toBeGreaterThanOrEqual(run.startedAt.getTime());
    expect(run.watermark).toBeInstanceOf(Date);
  });

  it("serves health and Prometheus metrics on its port", async () => {
    const health = await fetch(`http://127.0.0.1:${worker?.port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", postgres: "up", redis: "up" });
    const metrics = await (await fetch(`http://127.0.0.1:${worker?.port}/metrics`)).text();
    expect(metrics).toMatch(/usage_job_runs_total\{job="ledger",outcome="succeeded"\} [1-9]/);
  });

  it("records a failing run with its error and rethrows it for the queue's retry", async () => {
    const failing = { ...jobHandlers, reset: async () => Promise.reject(new Error("cost center table locked")) };
    await expect(runJob({ db: t.db, config, clock: systemClock, logger }, "reset", {}, "manual", failing)).rejects.toThrow("cost center table locked");
    const run = await t.db.jobRun.findFirstOrThrow({ where: { job: "reset" }, orderBy: { id: "desc" } });
    expect(run).toMatchObject({ outcome: "FAILED", trigger: "manual", error: "cost center table locked" });
  });

  it("rejects a payload that does not match the job's schema without recording a run", async () => {
    const before = await t.db.jobRun.count();
    await expect(runJob({ db: t.db, config, clock: systemClock, logger }, "stripe-event", { eventId: "" }, "manual")).rejects.toThrow();
    expect(await t.db.jobRun.count()).toBe(before);
  });

  it("fails health while shutting down and stops cleanly", async () => {
    const port = worker?.port;
    await worker?.close();
    worker = undefined;
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });
});
