// Readiness of the web app's dependencies, each probed with a short timeout.
import { machineApiDeps } from "./deps";

export interface Health {
  status: "ok" | "degraded";
  postgres: "up" | "down";
  redis: "up" | "down";
}

const PROBE_TIMEOUT_MS = 2000;

function withTimeout<T>(work: Promise<T>, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), PROBE_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export async function checkHealth(): Promise<Health> {
  const deps = machineApiDeps();
  const [postgres, redis] = await Promise.all([
    withTimeout(
      deps.db.$queryRaw`SELECT 1`.then(
        () => true,
        (error: unknown) => {
          deps.logger.warn({ err: error instanceof Error ? error.message : String(error) }, "health: PostgreSQL probe failed");
          return false;
        },
      ),
      false,
    ),
    withTimeout(deps.rateLimiter.ping(), false),
  ]);
  return { status: postgres && redis ? "ok" : "degraded", postgres: postgres ? "up" : "down", redis: redis ? "up" : "down" };
}
