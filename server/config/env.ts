// Environment variables (secrets and URLs). Defaults are the local demo's; see .env.example.
export function databaseUrl(): string {
  return process.env.DATABASE_URL ?? "postgresql://postgres@localhost:5432/usage_portal";
}

export function redisUrl(): string {
  return process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
}

/** One-click demo accounts on the sign-in page; never on in production. */
export function isDemoMode(): boolean {
  return process.env.DEMO_MODE === "1" || process.env.DEMO_MODE === "true";
}

/** ioredis/BullMQ connection options from REDIS_URL (options, not a shared client: see worker). */
export function redisConnectionOptions(url = redisUrl()): { host: string; port: number; username?: string; password?: string; db: number } {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    db: Number(u.pathname.replace("/", "") || 0),
  };
}

/** BullMQ key prefix shared by the web app (producer) and the worker; lets environments share a Redis. */
export function queuePrefix(): string {
  return process.env.QUEUE_PREFIX ?? "usage";
}
