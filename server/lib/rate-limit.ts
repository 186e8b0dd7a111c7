// Fixed-window rate limiting in Redis (SPEC §7: machine API, tRPC mutations, sign-in).
// Redis holds no money data, so when it is unreachable the limiter fails OPEN: the request is
// allowed and a warning is logged (at most once per 30 s per limiter). Losing rate limiting for a
// while is better than refusing every usage event and spending check while Redis restarts.
import { Redis } from "ioredis";
import { logger as defaultLogger, type Logger } from "./logger";

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until the window resets (for `Retry-After`); 0 when allowed. */
  retryAfterSeconds: number;
  /** True when Redis could not be asked and the request was let through. */
  failedOpen: boolean;
}

export interface RateLimiter {
  /** Counts one hit for `key` and says whether it stays within `limit` per `windowSeconds`. */
  hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision>;
  /** True when Redis answers PING (for health checks). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface RateLimiterOptions {
  /** Prefix of every Redis key, e.g. "rl:api:"; tests use a unique one per file. */
  prefix: string;
  logger?: Logger;
  /** How long to wait for Redis before failing open. */
  commandTimeoutMs?: number;
  /** Milliseconds since the epoch; picks the window. Tests pin it so a window edge can't split them. */
  now?: () => number;
}

// INCR and set the window's expiry atomically on the first hit; return the count and the ms left.
const FIXED_WINDOW = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { count, ttl }
`;

export function createRateLimiter(redisUrl: string, options: RateLimiterOptions): RateLimiter {
  const log = options.logger ?? defaultLogger;
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    // Fail fast instead of queueing commands while Redis is away: the caller fails open.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 250,
    connectTimeout: 1000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  let lastWarning = 0;
  redis.on("error", (error: Error) => warn(error));
  let connecting: Promise<void> | undefined;

  function warn(error: unknown) {
    const now = Date.now();
    if (now - lastWarning < 30_000) return;
    lastWarning = now;
    log.warn({ err: error instanceof Error ? error.message : String(error) }, "rate limiter: Redis unavailable, failing open");
  }

  // A function, not an inline comparison: the status changes while we await the connection.
  const isReady = (): boolean => redis.status === "ready";

  async function ensureConnected(): Promise<void> {
    if (isReady()) return;
    if (redis.status === "wait" || redis.status === "end") {
      connecting ??= redis.connect().finally(() => {
        connecting = undefined;
      });
    }
    if (connecting) await connecting;
    if (!isReady()) throw new Error(`Redis is ${redis.status}`);
  }

  return {
    async hit(key, limit, windowSeconds) {
      const windowMs = windowSeconds * 1000;
      const windowIndex = Math.floor((options.now ?? Date.now)() / windowMs);
      try {
        await ensureConnected();
        const reply = (await redis.eval(FIXED_WINDOW, 1, `${options.prefix}${key}:${windowIndex}`, String(windowMs))) as [number, number];
        const [count, ttlMs] = reply;
        const allowed = count <= limit;
        return {
          allowed,
          limit,
          remaining: Math.max(0, limit - count),
          retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(ttlMs / 1000)),
          failedOpen: false,
        };
      } catch (error) {
        warn(error);
        return { allowed: true, limit, remaining: limit, retryAfterSeconds: 0, failedOpen: true };
      }
    },
    async ping() {
      try {
        await ensureConnected();
        return (await redis.ping()) === "PONG";
      } catch (error) {
        warn(error);
        return false;
      }
    },
    async close() {
      if (redis.status === "end" || redis.status === "wait") {
        redis.disconnect();
        return;
      }
      await redis.quit().catch((error: unknown) => {
        log.debug({ err: String(error) }, "rate limiter: quit failed, disconnecting");
        redis.disconnect();
      });
    },
  };
}
