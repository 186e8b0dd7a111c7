// Machine API keys (SPEC §5, §7). A key is shown once at creation; only its sha256 is stored, and
// requests are authenticated by looking that hash up through a unique index, so the comparison
// never touches the secret itself and takes the same time whichever character differs.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "../../db/client";
import { poolSql } from "../../db/sql";
import type { Clock } from "../../lib/clock";
import { DomainError } from "../../domain/errors";

export const API_KEY_SCOPES = ["events:write", "spending:read", "teams:write", "usage:read"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
export const apiKeyScopeSchema = z.enum(API_KEY_SCOPES);

export function isApiKeyScope(value: string): value is ApiKeyScope {
  return (API_KEY_SCOPES as readonly string[]).includes(value);
}

/** Who is calling: what the machine API needs after authentication. */
export interface ApiKeyPrincipal {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
}

export interface ApiKeySummary {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const KEY_PREFIX = "wup_";

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** The characters shown to admins to tell keys apart: never enough to matter for guessing. */
function displayPrefix(key: string): string {
  return key.startsWith(KEY_PREFIX) ? key.slice(0, KEY_PREFIX.length + 8) : key.slice(0, Math.min(8, Math.floor(key.length / 4)));
}

export const createApiKeyInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(apiKeyScopeSchema).min(1).transform((s) => [...new Set(s)].sort()),
  createdById: z.string().min(1).optional(),
});

/** Creates a key; the returned `key` is the only time the secret exists outside the caller. */
export async function createApiKey(
  db: Db,
  input: z.input<typeof createApiKeyInput>,
): Promise<{ id: string; key: string; prefix: string; name: string; scopes: string[] }> {
  const parsed = createApiKeyInput.safeParse(input);
  if (!parsed.success) {
    throw new DomainError(
      "INVALID_INPUT",
      "Invalid API key request",
      parsed.error.issues.map((i) => ({ field: i.path.join(".") || "(input)", reason: i.message })),
    );
  }
  const { name, scopes, createdById } = parsed.data;
  const key = `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  const prefix = displayPrefix(key);
  const created = await db.$transaction(async (tx) => {
    const row = await tx.apiKey.create({ data: { name, prefix, hash: hashApiKey(key), scopes, createdById: createdById ?? null } });
    await tx.auditLog.create({
      data: {
        actorKind: createdById ? "USER" : "SYSTEM",
        actorId: createdById ?? null,
        action: "api_key.created",
        targetType: "ApiKey",
        targetId: row.id,
        after: { name, prefix, scopes },
      },
    });
    return row;
  });
  return { id: created.id, key, prefix, name, scopes };
}

/** Revokes a key (idempotent). Returns false when no key has that id. */
export async function revokeApiKey(db: Db, id: string, clock: Clock, actor?: { userId: string }): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; revokedAt: Date | null }[]>`
      SELECT "id", "revokedAt" FROM "ApiKey" WHERE "id" = ${id} FOR UPDATE`;
    const row = rows[0];
    if (!row) return false;
    if (row.revokedAt) return true;
    const revokedAt = clock.now();
    await tx.apiKey.update({ where: { id }, data: { revokedAt } });
    await tx.auditLog.create({
      data: {
        actorKind: actor ? "USER" : "SYSTEM",
        actorId: actor?.userId ?? null,
        action: "api_key.revoked",
        targetType: "ApiKey",
        targetId: id,
        before: { revokedAt: null },
        after: { revokedAt: revokedAt.toISOString() },
      },
    });
    return true;
  });
}

export async function listApiKeys(db: Db): Promise<ApiKeySummary[]> {
  return db.apiKey.findMany({
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, scopes: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

/**
 * The bootstrap key from `INGEST_API_KEY`: all scopes, created once (idempotent by hash). A key an
 * admin has revoked stays revoked — restarting with the same environment does not revive it.
 */
export async function ensureBootstrapApiKey(db: Db, key: string): Promise<void> {
  if (key.length < 16) throw new DomainError("INVALID_INPUT", "INGEST_API_KEY must be at least 16 characters long");
  const inserted = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO "ApiKey" ("name", "prefix", "hash", "scopes")
    VALUES ('bootstrap (INGEST_API_KEY)', ${displayPrefix(key)}, ${hashApiKey(key)}, ${[...API_KEY_SCOPES]}::text[])
    ON CONFLICT ("hash") DO NOTHING
    RETURNING "id"`;
  const row = inserted[0];
  if (row) {
    await db.auditLog.create({
      data: { actorKind: "SYSTEM", action: "api_key.created", targetType: "ApiKey", targetId: row.id, after: { name: "bootstrap (INGEST_API_KEY)", scopes: [...API_KEY_SCOPES] } },
    });
  }
}

// lastUsedAt is written at most once a minute per key and process: a write per request would put
// a row lock on every spending check.
const LAST_USED_RESOLUTION_MS = 60_000;
const lastUsedWritten = new Map<string, number>();

/**
 * Finds the active key for a presented secret, or null (unknown or revoked). Records last use.
 */
export async function authenticateApiKey(db: Db, presented: string, clock: Clock): Promise<ApiKeyPrincipal | null> {
  // Every machine API request runs this: one indexed statement straight on the pool (a Prisma
  // query costs several times its CPU).
  const [row] = await poolSql(db).query<{ id: string; name: string; scopes: string[]; revokedAt: Date | null }>(
    `SELECT id, name, scopes, "revokedAt" FROM "ApiKey" WHERE hash = $1`,
    [hashApiKey(presented)],
  );
  if (!row || row.revokedAt) return null;
  const now = clock.now();
  const last = lastUsedWritten.get(row.id) ?? 0;
  if (now.getTime() - last >= LAST_USED_RESOLUTION_MS) {
    lastUsedWritten.set(row.id, now.getTime());
    await db.$executeRaw`UPDATE "ApiKey" SET "lastUsedAt" = ${now} WHERE "id" = ${row.id} AND ("lastUsedAt" IS NULL OR "lastUsedAt" < ${now})`;
  }
  return { id: row.id, name: row.name, scopes: row.scopes.filter(isApiKeyScope) };
}
