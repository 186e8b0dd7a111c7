import { describe, expect, it } from "vitest";
import { fixedClock } from "../../lib/clock";
import { useTestDatabase } from "../../testing/db";
import { authenticateApiKey, createApiKey, ensureBootstrapApiKey, hashApiKey, listApiKeys, revokeApiKey } from ".";

const t = useTestDatabase();
const clock = fixedClock("2026-03-01T10:00:00Z");

describe("API keys", () => {
  it("stores only the hash and a short prefix, and authenticates by the whole key", async () => {
    const created = await createApiKey(t.db, { name: "platform", scopes: ["spending:read", "events:write", "events:write"] });
    expect(created.key).toMatch(/^wup_[A-Za-z0-9_-]{43}$/);
    const row = await t.db.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.hash).toBe(hashApiKey(created.key));
    expect(row.prefix).toBe(created.key.slice(0, 12));
    expect(JSON.stringify(row)).not.toContain(created.key.slice(12));
    expect(row.scopes).toEqual(["events:write", "spending:read"]);

    expect(await authenticateApiKey(t.db, created.key, clock)).toEqual({ id: created.id, name: "platform", scopes: ["events:write", "spending:read"] });
    expect(await authenticateApiKey(t.db, `${created.key}x`, clock)).toBeNull();
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).toEqual(clock.now());
  });

  it("revocation is immediate, idempotent and audited", async () => {
    const created = await createApiKey(t.db, { name: "to revoke", scopes: ["usage:read"] });
    expect(await revokeApiKey(t.db, created.id, clock)).toBe(true);
    expect(await revokeApiKey(t.db, created.id, clock)).toBe(true);
    expect(await revokeApiKey(t.db, "no-such-key", clock)).toBe(false);
    expect(await authenticateApiKey(t.db, created.key, clock)).toBeNull();
    const audit = await t.db.auditLog.findMany({ where: { targetId: created.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["api_key.created", "api_key.revoked"]);
    expect((await listApiKeys(t.db)).find((k) => k.id === created.id)?.revokedAt).toEqual(clock.now());
  });

  it("rejects unknown scopes and empty names", async () => {
    await expect(createApiKey(t.db, { name: "", scopes: ["events:write"] })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(createApiKey(t.db, { name: "x", scopes: ["admin" as "events:write"] })).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("bootstraps INGEST_API_KEY once with all scopes, and never revives a revoked one", async () => {
    const key = "local-demo-ingest-key-0123456789";
    await Promise.all([ensureBootstrapApiKey(t.db, key), ensureBootstrapApiKey(t.db, key)]);
    const rows = await t.db.apiKey.findMany({ where: { hash: hashApiKey(key) } });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.scopes).toEqual(["events:write", "spending:read", "teams:write", "usage:read"]);
    await revokeApiKey(t.db, rows[0]?.id ?? "", clock);
    await ensureBootstrapApiKey(t.db, key);
    expect(await authenticateApiKey(t.db, key, clock)).toBeNull();
    await expect(ensureBootstrapApiKey(t.db, "short")).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});
