// The worker process: BullMQ job schedulers from the config file, one queue + worker per job,
// JobRun records (runner.ts), a health and Prometheus port, and an ordered graceful shutdown:
// fail health → stop taking jobs (finish or release the running one) → close Redis → Prisma.
import http from "node:http";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { AppConfig } from "../server/config/config";
import { redisConnectionOptions } from "../server/config/env";
import type { Db } from "../server/db/client";
import type { Clock } from "../server/lib/clock";
import type { Logger } from "../server/lib/logger";
import { metricsRegistry } from "../server/lib/metrics";
import { jobCatalog, jobNames, queueName, type JobName } from "../server/queue/jobs";
import { runJob } from "./runner";

export interface WorkerOptions {
  db: Db;
  config: AppConfig;
  clock: Clock;
  logger: Logger;
  redisUrl: string;
  /** BullMQ key prefix; tests use a unique one. */
  prefix?: string;
  /** Health + metrics port (0 = any free port). */
  port: number;
  /** How long shutdown waits for a running job before releasing it back to the queue. */
  shutdownTimeoutMs?: number;
}

export interface RunningWorker {
  port: number;
  queues: Map<JobName, Queue>;
  close(): Promise<void>;
}

const schedulerId = (job: JobName) => `schedule:${job}`;

async function dependenciesHealthy(db: Db, redisUrl: string): Promise<{ postgres: boolean; redis: boolean }> {
  const postgres = await db.$queryRaw`SELECT 1`.then(() => true, () => false);
  const probe = new Redis({ ...redisConnectionOptions(redisUrl), lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000 });
  const redis = await probe
    .connect()
    .then(() => probe.ping())
    .then((r) => r === "PONG", () => false);
  probe.disconnect();
  return { postgres, redis };
}

export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
  const { db, config, clock, logger } = opts;
  const connection = redisConnectionOptions(opts.redisUrl);
  const prefix = opts.prefix ?? "bull";
  const queues = new Map<JobName, Queue>();
  const workers: Worker[] = [];
  let shuttingDown = false;

  for (const name of jobNames) {
    const queue = new Queue(queueName(name), { connection, prefix });
    queues.set(name, queue);
    const spec = jobCatalog[name];
    if (spec.scheduled) {
      const schedule = config.raw.schedules[name as keyof typeof config.raw.schedules];
      if (schedule.enabled) {
        // Idempotent across replicas: the same scheduler id yields one schedule.
        await queue.upsertJobScheduler(schedulerId(name), { pattern: schedule.cron }, {
          name,
          data: {},
          opts: { attempts: spec.attempts, backoff: { type: "exponential", delay: 5000 }, removeOnComplete: 1000, removeOnFail: 5000 },
        });
      }
      // Remove schedulers that are disabled now or were registered under an older id.
      for (const existing of await queue.getJobSchedulers()) {
        const keep = schedule.enabled && existing.key === schedulerId(name);
        if (!keep) await queue.removeJobScheduler(existing.key);
      }
    }
    const worker = new Worker(
      queueName(name),
      async (job) => {
        const trigger = job.repeatJobKey ? "schedule" : "event";
        const result = await runJob({ db, config, clock, logger }, name, job.data, trigger);
        return { runId: result.runId.toString(), counts: result.counts };
      },
      // One job at a time per queue and replica; BullMQ's lock makes each job run on one replica.
      { connection, prefix, concurrency: 1, lockDuration: 5 * 60_000 },
    );
    worker.on("error", (err) => logger.error({ err, job: name }, "worker error"));
    workers.push(worker);
  }

  const server = http.createServer(async (req, res) => {
    if (req.url === "/health" || req.url === "/healthz") {
      const deps = shuttingDown ? { postgres: false, redis: false } : await dependenciesHealthy(db, opts.redisUrl);
      const ok = !shuttingDown && deps.postgres && deps.redis;
      res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: ok ? "ok" : shuttingDown ? "shutting-down" : "degraded", postgres: deps.postgres ? "up" : "down", redis: deps.redis ? "up" : "down" }));
      return;
    }
    if (req.url === "/metrics") {
      res.writeHead(200, { "content-type": metricsRegistry.contentType });
      res.end(await metricsRegistry.metrics());
      return;
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { code: "NOT_FOUND", message: "Try /health or /metrics." } }));
  });
  await new Promise<void>((resolve) => server.listen(opts.port, "0.0.0.0", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  logger.info({ port, jobs: jobNames }, "worker started");

  async function close(): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info("worker shutting down");
    const timeoutMs = opts.shutdownTimeoutMs ?? 30_000;
    await Promise.all(
      workers.map(async (w) => {
        const graceful = w.close();
        const timedOut = await Promise.race([graceful.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), timeoutMs).unref())]);
        // Past the timeout, force-close: the job's lock lapses and another replica picks it up;
        // every job is idempotent, so running it again is safe.
        if (timedOut) await w.close(true);
      }),
    );
    await Promise.all([...queues.values()].map((q) => q.close()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    logger.info("worker stopped");
  }

  return { port, queues, close };
}
