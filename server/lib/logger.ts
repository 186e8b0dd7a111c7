// The one logger: JSON lines to stdout, secrets redacted by key name wherever they appear.
import { pino } from "pino";

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  redact: {
    paths: ["*.apiKey", "*.secret", "*.password", "*.authorization", "*.token", "*.webhookSecret"],
    censor: "[redacted]",
  },
  base: { service: process.env.SERVICE_NAME ?? "usage-portal" },
});

export type Logger = typeof logger;
