// The JSON config file (path in USAGE_CONFIG, default usage.config.json), validated strictly:
// an unknown key is an error that names it, so a typo never silently falls back to a default.
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { creditsToCents } from "../domain/money";

const credits = z
  .number()
  .nonnegative()
  .refine((n) => Number.isFinite(n) && Math.round(n * 100) === n * 100, "at most two decimals");

const cron = z.string().regex(/^(\S+\s+){4,5}\S+$/, "a cron pattern such as */5 * * * *");

const jobSchedule = z.strictObject({ cron, enabled: z.boolean().default(true) });

export const configSchema = z.strictObject({
  schedules: z.strictObject({
    ledger: jobSchedule.default({ cron: "*/5 * * * *", enabled: true }),
    reset: jobSchedule.default({ cron: "*/15 * * * *", enabled: true }),
    "stripe-sync": jobSchedule.default({ cron: "*/15 * * * *", enabled: true }),
  }),
  creditsPerHourByWorkspaceClass: z
    .record(z.string().min(1), credits)
    .refine((m) => "default" in m, "must contain a \"default\" rate for unknown classes"),
  rateChanges: z
    .array(
      z.strictObject({
        workspaceClass: z.string().min(1),
        creditsPerHour: credits,
        effectiveAt: z.iso.datetime({ offset: true }),
      }),
    )
    .default([]),
  defaultSpendingLimit: credits,
  notificationThresholdsPercent: z.array(z.number().int().min(1).max(1000)).default([80, 100]),
  pastDueGracePeriodHours: z.number().int().min(0).max(24 * 90).default(72),
  stopWorkspacesGraceMinutes: z.number().int().min(0).max(24 * 60).default(10),
  ledger: z
    .strictObject({
      batchSize: z.number().int().min(1).max(100_000).default(5000),
      watermarkOverlapSeconds: z.number().int().min(0).default(600),
    })
    .default({ batchSize: 5000, watermarkOverlapSeconds: 600 }),
  stripe: z.strictObject({
    priceIds: z.strictObject({ usd: z.string().min(1), eur: z.string().min(1) }),
    meterEventName: z.string().min(1),
  }),
  rateLimits: z
    .strictObject({
      machineApiPerMinute: z.number().int().min(1).default(6000),
      mutationsPerMinute: z.number().int().min(1).default(120),
      signInPerMinute: z.number().int().min(1).default(20),
    })
    .default({ machineApiPerMinute: 6000, mutationsPerMinute: 120, signInPerMinute: 20 }),
});

export type ConfigFile = z.infer<typeof configSchema>;

export interface RateChange {
  workspaceClass: string;
  centsPerHour: bigint;
  effectiveAt: Date;
}

/** The validated config with amounts already converted to credit cents. */
export interface AppConfig {
  raw: ConfigFile;
  centsPerHourByClass: ReadonlyMap<string, bigint>;
  defaultCentsPerHour: bigint;
  rateChanges: readonly RateChange[];
  defaultSpendingLimitCents: bigint;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length ? issue.path.join(".") : "(root)";
      if (issue.code === "unrecognized_keys") return `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(", ")} at ${where}`;
      return `${where}: ${issue.message}`;
    })
    .join("; ");
}

export function parseConfig(input: unknown, source = "config"): AppConfig {
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(`Invalid ${source}: ${describeIssues(parsed.error)}`);
  const raw = parsed.data;
  const centsPerHourByClass = new Map(
    Object.entries(raw.creditsPerHourByWorkspaceClass).map(([cls, rate]) => [cls, creditsToCents(rate)]),
  );
  return {
    raw,
    centsPerHourByClass,
    defaultCentsPerHour: centsPerHourByClass.get("default") ?? 0n,
    rateChanges: raw.rateChanges
      .map((c) => ({ workspaceClass: c.workspaceClass, centsPerHour: creditsToCents(c.creditsPerHour), effectiveAt: new Date(c.effectiveAt) }))
      .sort((a, b) => a.effectiveAt.getTime() - b.effectiveAt.getTime()),
    defaultSpendingLimitCents: creditsToCents(raw.defaultSpendingLimit),
  };
}

export function loadConfigFile(file = process.env.USAGE_CONFIG ?? "usage.config.json"): AppConfig {
  const resolved = path.resolve(/* turbopackIgnore: true */ file);
  let text: string;
  try {
    // The config is a runtime file chosen by USAGE_CONFIG, not a build input: keep it out of tracing.
    text = readFileSync(/* turbopackIgnore: true */ resolved, "utf8");
  } catch {
    throw new ConfigError(`Config file not found at ${resolved} (set USAGE_CONFIG or copy usage.config.example.json).`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`Config file ${resolved} is not valid JSON: ${(e as Error).message}`);
  }
  return parseConfig(json, `config file ${resolved}`);
}

let cached: AppConfig | undefined;

/** The process-wide config, loaded once on first use. */
export function appConfig(): AppConfig {
  cached ??= loadConfigFile();
  return cached;
}
