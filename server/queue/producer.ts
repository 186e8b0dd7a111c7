// Enqueues jobs for the worker (web app → Redis → worker). One BullMQ Queue per job name, created
// lazily and given connection OPTIONS (a shared ioredis instance keeps the process alive after close).
// Redis holds no money data: callers that must not fail when Redis is down (the Stripe webhook)
// store their work in PostgreSQL first and treat a failed enqueue as "the sync job will pick it up".
import { Queue, type JobsOptions } from "bullmq";
import { queuePrefix, redisConnectionOptions } from "../config/env";
import { jobCatalog, queueName, type JobName, type JobPayload } from "./jobs";

export interface ProducerOptions {
  /** Redis URL; defaults to REDIS_URL. */
  redisUrl?: string;
  /** BullMQ key prefix; defaults to QUEUE_PREFIX, the worker's (tests use a unique one per file). */
  prefix?: string;
  /** How long an enqueue may wait for Redis before it fails. */
  timeoutMs?: number;
}

export interface JobProducer {
  enqueue<N extends JobName>(name: N, payload: JobPayload<N>, opts?: Pick<JobsOptions, "jobId" | "delay">): Promise<void>;
  close(): Promise<void>;
}

export function createJobProducer(options: ProducerOptions = {}): JobProducer {
  const queues = new Map<JobName, Queue>();
  const timeoutMs = options.timeoutMs ?? 2_000;
  const connection = {
    ...redisConnectionOptions(options.redisUrl),
    // Fail fast while Redis is unreachable instead of queueing commands in memory indefinitely.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: timeoutMs,
  };

  function queueFor(name: JobName): Queue {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(queueName(name), { connection, prefix: options.prefix ?? queuePrefix() });
      // Connection errors surface through the failing add(); without a listener they would be unhandled.
      queue.on("error", () => undefined);
      queues.set(name, queue);
    }
    return queue;
  }

  return {
    async enqueue(name, payload, opts = {}) {
      const data = jobCatalog[name].payload.parse(payload);
      const add = queueFor(name).add(name, data, {
        ...opts,
        attempts: jobCatalog[name].attempts,
        backoff: { type: "exponential", delay: 1_000 },
        // Completed jobs are dropped so a later re-enqueue with the same jobId runs again (handlers are idempotent).
        removeOnComplete: true,
        removeOnFail: 1_000,
      });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`enqueue ${name}: Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([add, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
      queues.clear();
    },
  };
}

const globalForProducer = globalThis as unknown as { usagePortalProducer?: JobProducer };

/** The process-wide producer (REDIS_URL). */
export function jobProducer(): JobProducer {
  globalForProducer.usagePortalProducer ??= createJobProducer();
  return globalForProducer.usagePortalProducer;
}

export function enqueueJob<N extends JobName>(name: N, payload: JobPayload<N>, opts?: Pick<JobsOptions, "jobId" | "delay">): Promise<void> {
  return jobProducer().enqueue(name, payload, opts);
}
