// Environment variables (secrets and URLs). Defaults are the local demo's.
export function databaseUrl(): string {
  return process.env.DATABASE_URL ?? "postgresql://postgres@localhost:5432/usage_portal";
}

export function redisUrl(): string {
  return process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
}
