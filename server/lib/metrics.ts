// Prometheus metrics: one registry per process, served at /api/metrics (web) and on the worker's
// metrics port. Modules register their metrics here at import time.
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

const globalForMetrics = globalThis as unknown as { usagePortalMetrics?: Registry };

function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

export const metricsRegistry: Registry = (globalForMetrics.usagePortalMetrics ??= createRegistry());

function metric<T>(name: string, create: () => T): T {
  return (metricsRegistry.getSingleMetric(name) as T | undefined) ?? create();
}

export const jobRunsTotal = metric(
  "usage_job_runs_total",
  () => new Counter({ name: "usage_job_runs_total", help: "Job runs by job and outcome", labelNames: ["job", "outcome"], registers: [metricsRegistry] }),
);

export const jobDurationSeconds = metric(
  "usage_job_duration_seconds",
  () =>
    new Histogram({
      name: "usage_job_duration_seconds",
      help: "Job run duration",
      labelNames: ["job"],
      buckets: [0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [metricsRegistry],
    }),
);

/** Latency and outcome of every Stripe API request (each network attempt), per resource. */
export const stripeRequestDurationSeconds = metric(
  "stripe_api_request_duration_seconds",
  () =>
    new Histogram({
      name: "stripe_api_request_duration_seconds",
      help: "Stripe API request duration by resource, HTTP method and outcome (ok, client_error, server_error, network_error)",
      labelNames: ["resource", "method", "outcome"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [metricsRegistry],
    }),
);

/** tRPC calls that failed with an unexpected error (a 500, not a domain error): alert on any. */
export const trpcInternalErrorsTotal = metric(
  "usage_trpc_internal_errors_total",
  () =>
    new Counter({
      name: "usage_trpc_internal_errors_total",
      help: "tRPC procedure calls that failed with an internal (unexpected) error, by procedure path",
      labelNames: ["path"],
      registers: [metricsRegistry],
    }),
);
