// The machine API over real HTTP (SPEC §5): the route handlers behind node:http, a real PostgreSQL
// test database and real Redis, called with fetch exactly as the workspace platform would.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfigFile, type AppConfig } from "@/server/config/config";
import { closeDb, createDb } from "@/server/db/client";
import { pricingFromConfig } from "@/server/domain/pricing";
import { setMachineApiDeps, type MachineApiDeps } from "@/server/http/deps";
import { logger } from "@/server/lib/logger";
import { createRateLimiter, type RateLimiter } from "@/server/lib/rate-limit";
import { createApiKey, revokeApiKey } from "@/server/services/api-keys";
import { useTestDatabase } from "@/server/testing/db";
import { startRouteServer, type TestServer } from "@/server/testing/http";
import * as teamRoute from "./teams/[teamId]/route";
import * as usageRoute from "./teams/[teamId]/usage/route";
import * as eventsRoute from "./workspace-events/route";
import * as spendingRoute from "./spending-check/route";
import * as fallbackRoute from "./[...path]/route";
import * as healthRoute from "../health/route";

const t = useTestDatabase();
const config: AppConfig = loadConfigFile("usage.config.example.json");
const pricing = pricingFromConfig(config);
const BOOTSTRAP_KEY = `bootstrap-${randomBytes(16).toString("hex")}`;
const redisPrefix = `test:machine-api:${randomBytes(4).toString("hex")}:`;

// A clock the tests move: teams are provisioned at T0, events happen after it.
const T0 = new Date("2026-03-01T00:00:00.000Z");
let now = new Date(T0);
const clock = { now: () => new Date(now) };
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000).toISOString();

let server: TestServer;
let limiter: RateLimiter;
let deps: MachineApiDeps;
let keys: Record<"all" | "eventsOnly" | "spendingOnly" | "revoked", string>;

function url(path: string) {
  return `${server.url}${path}`;
}

function call(path: string, init: { method?: string; key?: string | null; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  const key = init.key === undefined ? keys.all : init.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === "string" ? init.body : JSON.stringify(init.body);
    headers["content-type"] ??= "application/json";
  }
  return fetch(url(path), { method: init.method ?? (body === undefined ? "GET" : "POST"), headers, ...(body === undefined ? {} : { body }) });
}

interface ErrorJson {
  error: { code: string; message: string; details?: unknown };
}

async function expectError(res: Response, status: number, code: string): Promise<ErrorJson> {
  const json = (await res.json()) as ErrorJson;
  expect({ status: res.status, code: json.error.code }).toEqual({ status, code });
  expect(typeof json.error.message).toBe("string");
  expect(res.headers.get("content-type")).toMatch(/application\/json/);
  return json;
}

/** Row counts of every table a request could write (ApiKey.lastUsedAt aside). */
async function snapshot() {
  const rows = await t.db.$queryRaw<{ name: string; n: bigint }[]>`
    SELECT 'events' AS name, count(*) AS n FROM "WorkspaceEvent"
    UNION ALL SELECT 'instances', count(*) FROM "WorkspaceInstance"
    UNION ALL SELECT 'entries', count(*) FROM "UsageEntry"
    UNION ALL SELECT 'users', count(*) FROM "User"
    UNION ALL SELECT 'teams', count(*) FROM "Team"
    UNION ALL SELECT 'costCenters', count(*) FROM "CostCenter"
    UNION ALL SELECT 'memberships', count(*) FROM "Membership"
    UNION ALL SELECT 'audit', count(*) FROM "AuditLog"
    UNION ALL SELECT 'balance', COALESCE(SUM("balanceCents"), 0)::bigint FROM "CostCenter"`;
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.n)]));
}

type EventType = "started" | "stopping" | "stopped";
let eventSeq = 0;
function event(teamId: string, instanceId: string, type: EventType, minute: number, extra: Record<string, unknown> = {}) {
  eventSeq += 1;
  return {
    id: `evt-${instanceId}-${type}-${eventSeq}`,
    type,
    instanceId,
    workspaceId: `ws-${instanceId}`,
    teamId,
    userId: `user-${teamId}`,
    userName: "Ada Lovelace",
    workspaceClass: "g1-standard",
    occurredAt: at(minute),
    contextUrl: "https://github.com/acme/app",
    ...extra,
  };
}

async function provision(teamId: string, body: unknown = { name: `Team ${teamId}` }) {
  const res = await call(`/api/v1/teams/${teamId}`, { method: "PUT", body });
  expect([200, 201]).toContain(res.status);
  return res;
}

async function creditsOf(instanceId: string): Promise<{ creditCents: bigint; draft: boolean } | undefined> {
  return (await t.db.usageEntry.findUnique({ where: { instanceId }, select: { creditCents: true, draft: true } })) ?? undefined;
}

beforeAll(async () => {
  limiter = createRateLimiter("redis://127.0.0.1:6379", { prefix: redisPrefix, now: () => T0.getTime() });
  deps = { db: t.db, config, pricing, clock, logger, rateLimiter: limiter, bootstrapApiKey: BOOTSTRAP_KEY };
  setMachineApiDeps(deps);
  const all = await createApiKey(t.db, { name: "platform", scopes: ["events:write", "spending:read", "teams:write", "usage:read"] });
  const eventsOnly = await createApiKey(t.db, { name: "events only", scopes: ["events:write"] });
  const spendingOnly = await createApiKey(t.db, { name: "spending only", scopes: ["spending:read"] });
  const revoked = await createApiKey(t.db, { name: "revoked", scopes: ["events:write"] });
  await revokeApiKey(t.db, revoked.id, clock);
  keys = { all: all.key, eventsOnly: eventsOnly.key, spendingOnly: spendingOnly.key, revoked: revoked.key };
  server = await startRouteServer([
    { path: "/api/v1/teams/[teamId]", module: teamRoute },
    { path: "/api/v1/teams/[teamId]/usage", module: usageRoute },
    { path: "/api/v1/workspace-events", module: eventsRoute },
    { path: "/api/v1/spending-check", module: spendingRoute },
    { path: "/api/v1/[...path]", module: fallbackRoute },
    { path: "/api/health", module: healthRoute },
  ]);
});

afterAll(async () => {
  setMachineApiDeps(undefined);
  await server?.close();
  await limiter?.close();
});

beforeEach(() => {
  setMachineApiDeps(deps);
  now = new Date(T0);
});

describe("authentication and scopes", () => {
  it("401 without a key, with an unknown key and with a revoked key; nothing stored", async () => {
    await provision("team-auth");
    const before = await snapshot();
    const body = { events: [event("team-auth", "i-auth", "started", 1)] };
    const missing = await call("/api/v1/workspace-events", { key: null, body });
    await expectError(missing, 401, "UNAUTHENTICATED");
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);
    await expectError(await call("/api/v1/workspace-events", { key: "wup_not-a-real-key", body }), 401, "UNAUTHENTICATED");
    await expectError(await call("/api/v1/workspace-events", { key: keys.revoked, body }), 401, "UNAUTHENTICATED");
    await expectError(await call("/api/v1/workspace-events", { body, headers: { authorization: `Basic ${keys.all}` }, key: null }), 401, "UNAUTHENTICATED");
    expect(await snapshot()).toEqual(before);
  });

  it("403 when the key lacks the endpoint's scope; nothing stored", async () => {
    const before = await snapshot();
    const res = await call("/api/v1/teams/team-scope", { method: "PUT", key: keys.eventsOnly, body: { name: "Nope" } });
    const json = await expectError(res, 403, "FORBIDDEN");
    expect(json.error.details).toMatchObject({ requiredScope: "teams:write" });
    await expectError(await call("/api/v1/workspace-events", { key: keys.spendingOnly, body: { events: [] } }), 403, "FORBIDDEN");
    await expectError(await call("/api/v1/teams/team-auth/usage", { key: keys.spendingOnly }), 403, "FORBIDDEN");
    expect(await snapshot()).toEqual(before);
  });

  it("INGEST_API_KEY works as an all-scopes key, and keys record their last use", async () => {
    await provision("team-boot");
    const res = await call("/api/v1/spending-check", { key: BOOTSTRAP_KEY, body: { teamId: "team-boot" } });
    expect(res.status).toBe(200);
    const boot = await t.db.apiKey.findMany({ where: { name: "bootstrap (INGEST_API_KEY)" } });
    expect(boot).toHaveLength(1);
    expect(boot[0]?.scopes.sort()).toEqual(["events:write", "spending:read", "teams:write", "usage:read"]);
    expect(boot[0]?.lastUsedAt).toEqual(now);
    expect(boot[0]?.hash).not.toContain(BOOTSTRAP_KEY);
  });
});

describe("request bodies", () => {
  it("415 when the body is not JSON; nothing stored", async () => {
    await provision("team-body");
    const before = await snapshot();
    const body = JSON.stringify({ events: [event("team-body", "i-415", "started", 1)] });
    const res = await call("/api/v1/workspace-events", { body, headers: { "content-type": "text/plain" } });
    await expectError(res, 415, "UNSUPPORTED_MEDIA_TYPE");
    expect(await snapshot()).toEqual(before);
  });

  it("413 for a body over 1 MiB, by Content-Length and by counting a chunked body; nothing stored", async () => {
    const before = await snapshot();
    const events = Array.from({ length: 1000 }, (_, i) => event("team-body", `i-big-${i}`, "started", 1, { contextUrl: `https://example.com/${"x".repeat(1100)}` }));
    const big = JSON.stringify({ events });
    expect(Buffer.byteLength(big)).toBeGreaterThan(1024 * 1024);
    await expectError(await call("/api/v1/workspace-events", { body: big }), 413, "PAYLOAD_TOO_LARGE");

    // A streamed body has no Content-Length: the server must count bytes and stop reading.
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 64 * 1024) controller.enqueue(bytes.slice(offset, offset + 64 * 1024));
        controller.close();
      },
    });
    const chunked = await fetch(url("/api/v1/workspace-events"), {
      method: "POST",
      headers: { authorization: `Bearer ${keys.all}`, "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    await expectError(chunked, 413, "PAYLOAD_TOO_LARGE");
    expect(await snapshot()).toEqual(before);
  });

  it("400 for malformed JSON; nothing stored", async () => {
    const before = await snapshot();
    await expectError(await call("/api/v1/workspace-events", { body: '{"events": [' }), 400, "INVALID_JSON");
    await expectError(await call("/api/v1/spending-check", { body: "" }), 400, "INVALID_JSON");
    expect(await snapshot()).toEqual(before);
  });
});

describe("POST /api/v1/workspace-events", () => {
  it("400 names each bad event's index and field, and stores nothing of the batch", async () => {
    await provision("team-val");
    const before = await snapshot();
    const good = event("team-val", "i-val-1", "started", 1);
    const badType = { ...event("team-val", "i-val-2", "started", 1), type: "paused" };
    const badTime = { ...event("team-val", "i-val-3", "started", 1), occurredAt: "yesterday" };
    const { instanceId: _dropped, ...noInstance } = event("team-val", "i-val-4", "started", 1);
    const typo = { ...event("team-val", "i-val-5", "started", 1), username: "typo for userName" };
    const res = await call("/api/v1/workspace-events", { body: { events: [good, badType, badTime, noInstance, typo] } });
    const json = await expectError(res, 400, "INVALID_INPUT");
    const details = json.error.details as { index: number; field: string; reason: string }[];
    expect(details.map((d) => [d.index, d.field])).toEqual([
      [1, "type"],
      [2, "occurredAt"],
      [3, "instanceId"],
      [4, "username"],
    ]);
    expect(details.every((d) => d.reason.length > 0)).toBe(true);
    expect(await snapshot()).toEqual(before);
  });

  it("400 for more than 1000 events or a body without events", async () => {
    const before = await snapshot();
    const events = Array.from({ length: 1001 }, (_, i) => event("team-val", `i-many-${i}`, "started", 1));
    const json = await expectError(await call("/api/v1/workspace-events", { body: { events } }), 400, "INVALID_INPUT");
    expect(json.error.details).toEqual([{ field: "events", reason: expect.stringContaining("1000") }]);
    const missing = await expectError(await call("/api/v1/workspace-events", { body: { items: [] } }), 400, "INVALID_INPUT");
    expect(missing.error.details).toEqual([
      { field: "events", reason: expect.any(String) },
      { field: "items", reason: expect.stringContaining("unknown field") },
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it("422 when an event names an unknown team, with its index; nothing stored", async () => {
    const before = await snapshot();
    const events = [event("team-val", "i-u-1", "started", 1), event("team-nobody", "i-u-2", "started", 1)];
    const json = await expectError(await call("/api/v1/workspace-events", { body: { events } }), 422, "UNPROCESSABLE");
    expect(json.error.details).toEqual([{ index: 1, field: "teamId", reason: expect.stringContaining("unknown team") }]);
    expect(await snapshot()).toEqual(before);
  });

  it("422 when an instance is reported for another team than its own; nothing stored", async () => {
    await provision("team-val-2");
    expect((await call("/api/v1/workspace-events", { body: { events: [event("team-val", "i-owned", "started", 1)] } })).status).toBe(202);
    const before = await snapshot();
    const events = [event("team-val-2", "i-other", "started", 1), event("team-val-2", "i-owned", "stopped", 5)];
    const json = await expectError(await call("/api/v1/workspace-events", { body: { events } }), 422, "UNPROCESSABLE");
    expect(json.error.details).toEqual([{ index: 1, field: "teamId", reason: expect.stringContaining("team-val") }]);
    expect(await snapshot()).toEqual(before);
  });

  it("202: stores raw events, creates instances and users, counts replays as duplicates", async () => {
    await provision("team-ingest");
    now = new Date(at(120));
    const events = [
      event("team-ingest", "i-1", "started", 0, { userId: "platform-user-1", userName: "Grace Hopper" }),
      event("team-ingest", "i-1", "stopping", 59, { userId: "platform-user-1" }),
      event("team-ingest", "i-1", "stopped", 60, { userId: "platform-user-1" }),
      event("team-ingest", "i-2", "started", 30, { userId: "platform-user-1", workspaceClass: "g1-large" }),
    ];
    const res = await call("/api/v1/workspace-events", { body: { events } });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 4, duplicates: 0 });

    const replay = await call("/api/v1/workspace-events", { body: { events: [...events, events[0]] } });
    expect(await replay.json()).toEqual({ accepted: 0, duplicates: 5 });

    expect(await t.db.workspaceEvent.count({ where: { teamId: "team-ingest" } })).toBe(4);
    const raw = await t.db.workspaceEvent.findUnique({ where: { id: events[0]?.id ?? "" } });
    expect(raw).toMatchObject({ type: "started", userName: "Grace Hopper", contextUrl: "https://github.com/acme/app", occurredAt: new Date(at(0)) });
    const i1 = await t.db.workspaceInstance.findUnique({ where: { id: "i-1" } });
    expect(i1).toMatchObject({ teamId: "team-ingest", startedAt: new Date(at(0)), stoppingAt: new Date(at(59)), stoppedAt: new Date(at(60)) });
    expect(await t.db.user.findUnique({ where: { id: "platform-user-1" }, select: { name: true } })).toEqual({ name: "Grace Hopper" });
    // Finalized on stop: 59 minutes (runtime ends at stopping) of g1-standard at 10 credits/hour.
    expect(await creditsOf("i-1")).toEqual({ creditCents: 983n, draft: false });
    // Still running at "now" (90 minutes of g1-large at 20 credits/hour): a growing draft.
    expect(await creditsOf("i-2")).toEqual({ creditCents: 3000n, draft: true });
  });

  it("opens the cost center of a team created outside the API on its first event", async () => {
    await t.db.team.create({ data: { id: "team-seeded", name: "Seeded" } });
    now = new Date(at(10));
    const res = await call("/api/v1/workspace-events", { body: { events: [event("team-seeded", "seeded-1", "started", 0)] } });
    expect(res.status).toBe(202);
    const cc = await t.db.costCenter.findUniqueOrThrow({ where: { teamId: "team-seeded" } });
    expect(await t.db.workspaceInstance.findUnique({ where: { id: "seeded-1" }, select: { costCenterId: true } })).toEqual({ costCenterId: cc.id });
  });

  it("reads occurredAt in any UTC offset as the same instant", async () => {
    await provision("team-offsets");
    now = new Date(at(120));
    // 12:00 in UTC+02:00 is 10:00Z; the stop is written in UTC-05:00: 30 minutes of g1-standard.
    const startZ = new Date(at(0));
    const shifted = (d: Date, hours: number, sign: "+" | "-") =>
      new Date(d.getTime() + (sign === "+" ? 1 : -1) * hours * 3_600_000).toISOString().replace("Z", `${sign}0${hours}:00`);
    const events = [
      { ...event("team-offsets", "off-1", "started", 0), occurredAt: shifted(startZ, 2, "+") },
      { ...event("team-offsets", "off-1", "stopped", 30), occurredAt: shifted(new Date(at(30)), 5, "-") },
    ];
    expect((await call("/api/v1/workspace-events", { body: { events } })).status).toBe(202);
    expect(await t.db.workspaceInstance.findUnique({ where: { id: "off-1" }, select: { startedAt: true, stoppedAt: true } })).toEqual({
      startedAt: startZ,
      stoppedAt: new Date(at(30)),
    });
    expect(await creditsOf("off-1")).toEqual({ creditCents: 500n, draft: false });
  });

  it("out-of-order, split and duplicated batches end in the same credits as the ordered batch", async () => {
    await provision("team-ordered");
    await provision("team-shuffled");
    now = new Date(at(600));
    const lifecycles = [
      { n: 1, cls: "g1-small", start: 0, stopping: 17, stopped: 18 },
      { n: 2, cls: "g1-standard", start: 5, stopping: null, stopped: 241 },
      { n: 3, cls: "g1-large", start: 10, stopping: 70, stopped: 71 },
      { n: 4, cls: "g1-unknown", start: 20, stopping: 21, stopped: 22 },
      { n: 5, cls: "g1-large", start: 30, stopping: null, stopped: null },
      { n: 6, cls: "g1-standard", start: 40, stopping: 100, stopped: 101 },
    ];
    const build = (teamId: string) =>
      lifecycles.flatMap((l) => {
        const inst = `${teamId}-i${l.n}`;
        const extra = { workspaceClass: l.cls, userId: `${teamId}-u` };
        return [
          { ...event(teamId, inst, "started", l.start, extra), id: `${inst}-a` },
          ...(l.stopping === null ? [] : [{ ...event(teamId, inst, "stopping", l.stopping, extra), id: `${inst}-b` }]),
          ...(l.stopped === null ? [] : [{ ...event(teamId, inst, "stopped", l.stopped, extra), id: `${inst}-c` }]),
        ];
      });
    const ordered = build("team-ordered");
    expect((await call("/api/v1/workspace-events", { body: { events: ordered } })).status).toBe(202);

    // Reverse order (every stop before its start), split into three requests, with replays.
    const shuffled = build("team-shuffled").reverse();
    const batches = [shuffled.slice(0, 5), [...shuffled.slice(3, 10), shuffled[0]], shuffled.slice(8)];
    let accepted = 0;
    let duplicates = 0;
    for (const batch of batches) {
      const res = await call("/api/v1/workspace-events", { body: { events: batch } });
      expect(res.status).toBe(202);
      const json = (await res.json()) as { accepted: number; duplicates: number };
      accepted += json.accepted;
      duplicates += json.duplicates;
    }
    expect({ accepted, duplicates }).toEqual({ accepted: shuffled.length, duplicates: batches.flat().length - shuffled.length });

    for (const l of lifecycles) {
      const a = await creditsOf(`team-ordered-i${l.n}`);
      const b = await creditsOf(`team-shuffled-i${l.n}`);
      expect(b).toEqual(a);
      expect(a?.draft).toBe(l.stopped === null);
    }
    const balances = await t.db.costCenter.findMany({ where: { teamId: { in: ["team-ordered", "team-shuffled"] } }, select: { balanceCents: true } });
    expect(balances[0]?.balanceCents).toBe(balances[1]?.balanceCents);
    expect(balances[0]?.balanceCents).toBeGreaterThan(0n);
  });

  it("a stopping event that arrives after its instance is final is kept raw but changes neither the instance nor its entry", async () => {
    await provision("team-late-stop");
    now = new Date(at(200));
    const started = { ...event("team-late-stop", "late-1", "started", 0), id: "late-1-a" };
    const stopped = { ...event("team-late-stop", "late-1", "stopped", 60), id: "late-1-c" };
    expect((await call("/api/v1/workspace-events", { body: { events: [started, stopped] } })).status).toBe(202);
    const final = await creditsOf("late-1");
    // 60 minutes of g1-standard at 10 credits/hour, final.
    expect(final).toEqual({ creditCents: 1000n, draft: false });

    const lateStopping = { ...event("team-late-stop", "late-1", "stopping", 30), id: "late-1-b" };
    const res = await call("/api/v1/workspace-events", { body: { events: [lateStopping] } });
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 0 });
    expect(await t.db.workspaceEvent.findUnique({ where: { id: "late-1-b" }, select: { type: true } })).toEqual({ type: "stopping" });
    expect(await t.db.workspaceInstance.findUnique({ where: { id: "late-1" }, select: { stoppingAt: true, stoppedAt: true } })).toEqual({
      stoppingAt: null,
      stoppedAt: new Date(at(60)),
    });
    expect(await creditsOf("late-1")).toEqual(final);
  });

  it("two concurrent requests sharing event ids store each event once and split accepted/duplicates", async () => {
    await provision("team-race");
    now = new Date(at(300));
    const events = Array.from({ length: 200 }, (_, i) => [
      { ...event("team-race", `race-${i}`, "started", i % 60), id: `race-${i}-start` },
      { ...event("team-race", `race-${i}`, "stopped", 60 + (i % 60)), id: `race-${i}-stop` },
    ]).flat();
    const first = events.slice(0, 300);
    const second = events.slice(100);
    const [a, b] = await Promise.all([
      call("/api/v1/workspace-events", { body: { events: first } }),
      call("/api/v1/workspace-events", { body: { events: second } }),
    ]);
    expect([a.status, b.status]).toEqual([202, 202]);
    const ja = (await a.json()) as { accepted: number; duplicates: number };
    const jb = (await b.json()) as { accepted: number; duplicates: number };
    expect(ja.accepted + jb.accepted).toBe(events.length);
    expect(ja.duplicates + jb.duplicates).toBe(first.length + second.length - events.length);
    expect(await t.db.workspaceEvent.count({ where: { teamId: "team-race" } })).toBe(events.length);
    const entries = await t.db.usageEntry.findMany({ where: { instanceId: { startsWith: "race-" } } });
    expect(entries).toHaveLength(200);
    // Every instance ran exactly 60 minutes of g1-standard: 10 credits each, all final.
    expect(entries.every((e) => e.creditCents === 1000n && !e.draft)).toBe(true);
    const cc = await t.db.costCenter.findUniqueOrThrow({ where: { teamId: "team-race" } });
    expect(cc.balanceCents).toBe(200_000n);
  });
});

describe("PUT /api/v1/teams/{teamId}", () => {
  it("201 creates the team with its cost center and owners; 200 updates it", async () => {
    const created = await call("/api/v1/teams/team-new", { method: "PUT", body: { name: "New Team", ownerEmails: ["Owner@Example.com", "second@example.com"] } });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({
      id: "team-new",
      name: "New Team",
      ownerEmails: ["owner@example.com", "second@example.com"],
      costCenter: {
        id: expect.any(String),
        status: "ACTIVE",
        billingStrategy: "FREE",
        spendingLimitCredits: 500,
        spendingLimitCents: 50000,
        billingCycleStart: T0.toISOString(),
        nextBillingTime: "2026-04-01T00:00:00.000Z",
      },
    });
    const updated = await call("/api/v1/teams/team-new", { method: "PUT", body: { name: "Renamed", ownerEmails: ["third@example.com"] } });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ name: "Renamed", ownerEmails: ["owner@example.com", "second@example.com", "third@example.com"] });
    expect(await t.db.costCenter.count({ where: { teamId: "team-new" } })).toBe(1);
    const actions = await t.db.auditLog.findMany({ where: { teamId: "team-new" }, orderBy: { id: "asc" }, select: { action: true, actorKind: true } });
    expect(actions.map((a) => a.action)).toEqual(["team.created", "team.owners_added", "team.renamed", "team.owners_added"]);
    expect(actions.every((a) => a.actorKind === "API_KEY")).toBe(true);
  });

  it("400 names the bad field (body or team id); nothing stored", async () => {
    const before = await snapshot();
    const noName = await expectError(await call("/api/v1/teams/team-bad", { method: "PUT", body: { ownerEmails: ["x@example.com"] } }), 400, "INVALID_INPUT");
    expect(noName.error.details).toEqual([{ field: "name", reason: expect.any(String) }]);
    const badEmail = await expectError(await call("/api/v1/teams/team-bad", { method: "PUT", body: { name: "X", ownerEmails: ["not-an-email"] } }), 400, "INVALID_INPUT");
    expect(badEmail.error.details).toEqual([{ field: "ownerEmails.0", reason: expect.any(String) }]);
    const badId = await expectError(await call("/api/v1/teams/bad%20id!", { method: "PUT", body: { name: "X" } }), 400, "INVALID_INPUT");
    expect(badId.error.details).toEqual([{ field: "teamId", reason: expect.any(String) }]);
    expect(await snapshot()).toEqual(before);
  });
});

describe("POST /api/v1/spending-check", () => {
  it("allows a team under its limit with the spec's fields", async () => {
    await provision("team-spend");
    now = new Date(at(60));
    const res = await call("/api/v1/spending-check", { body: { teamId: "team-spend", workspaceClass: "g1-large" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ allowed: true, usedCredits: 0, limitCredits: 500, remainingCredits: 500, cycleEndsAt: "2026-04-01T00:00:00.000Z" });
  });

  it("counts running instances' live credits and denies at the limit", async () => {
    await provision("team-limit");
    await t.db.costCenter.update({ where: { teamId: "team-limit" }, data: { spendingLimitCents: 1500n } });
    now = new Date(at(30));
    await call("/api/v1/workspace-events", { body: { events: [event("team-limit", "lim-1", "started", 0, { workspaceClass: "g1-large" })] } });
    // 30 minutes at 20 credits/hour so far: 10 of 15 credits.
    const under = await call("/api/v1/spending-check", { body: { teamId: "team-limit" } });
    expect(await under.json()).toMatchObject({ allowed: true, usedCredits: 10, limitCredits: 15, remainingCredits: 5 });
    // 45 minutes later the running instance alone has used 15 credits, without any new event.
    now = new Date(at(45));
    const denied = await call("/api/v1/spending-check", { body: { teamId: "team-limit" } });
    expect(denied.status).toBe(200);
    expect(await denied.json()).toMatchObject({ allowed: false, reason: "SPENDING_LIMIT_REACHED", usedCredits: 15, limitCredits: 15, remainingCredits: 0, message: expect.any(String) });
  });

  it("denies BLOCKED teams and PAST_DUE teams beyond the grace period", async () => {
    await provision("team-blocked");
    await t.db.costCenter.update({ where: { teamId: "team-blocked" }, data: { status: "BLOCKED" } });
    expect(await (await call("/api/v1/spending-check", { body: { teamId: "team-blocked" } })).json()).toMatchObject({ allowed: false, reason: "BLOCKED" });
    await provision("team-overdue");
    await t.db.costCenter.update({ where: { teamId: "team-overdue" }, data: { status: "PAST_DUE", pastDueSince: T0 } });
    now = new Date(at(60));
    expect(await (await call("/api/v1/spending-check", { body: { teamId: "team-overdue" } })).json()).toMatchObject({ allowed: true });
    now = new Date(at(73 * 60));
    expect(await (await call("/api/v1/spending-check", { body: { teamId: "team-overdue" } })).json()).toMatchObject({ allowed: false, reason: "PAYMENT_PAST_DUE" });
  });

  it("404 for an unknown team, 400 without a team id", async () => {
    const json = await expectError(await call("/api/v1/spending-check", { body: { teamId: "team-ghost" } }), 404, "NOT_FOUND");
    expect(json.error.details).toEqual([{ field: "teamId", reason: "unknown team" }]);
    const bad = await expectError(await call("/api/v1/spending-check", { body: { workspaceClass: "g1-small" } }), 400, "INVALID_INPUT");
    expect(bad.error.details).toEqual([{ field: "teamId", reason: expect.any(String) }]);
  });
});

describe("GET /api/v1/teams/{teamId}/usage", () => {
  it("pages newest first with an opaque cursor and filters by [from, to)", async () => {
    await provision("team-usage");
    now = new Date(at(1000));
    const events = Array.from({ length: 7 }, (_, i) => [
      { ...event("team-usage", `u-${i}`, "started", i * 10), id: `u-${i}-a` },
      { ...event("team-usage", `u-${i}`, "stopped", i * 10 + 6), id: `u-${i}-c` },
    ]).flat();
    expect((await call("/api/v1/workspace-events", { body: { events } })).status).toBe(202);

    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await call(`/api/v1/teams/team-usage/usage?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      const json = (await res.json()) as { entries: { instanceId: string }[]; nextCursor?: string };
      seen.push(...json.entries.map((e) => e.instanceId));
      cursor = json.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(["u-6", "u-5", "u-4", "u-3", "u-2", "u-1", "u-0"]);

    const res = await call(`/api/v1/teams/team-usage/usage?from=${encodeURIComponent(at(10))}&to=${encodeURIComponent(at(40))}`);
    const json = (await res.json()) as { entries: Record<string, unknown>[]; nextCursor?: string };
    expect(json.nextCursor).toBeUndefined();
    expect(json.entries).toEqual([
      {
        id: expect.any(String),
        kind: "WORKSPACE",
        instanceId: "u-3",
        workspaceClass: "g1-standard",
        userId: "user-team-usage",
        startedAt: at(30),
        stoppedAt: at(36),
        draft: false,
        creditCents: 100,
        credits: 1,
        effectiveAt: at(30),
      },
      expect.objectContaining({ instanceId: "u-2" }),
      expect.objectContaining({ instanceId: "u-1" }),
    ]);
  });

  it("400 for a bad cursor, limit or date; 404 for an unknown team", async () => {
    const cursor = await expectError(await call("/api/v1/teams/team-usage/usage?cursor=garbage"), 400, "INVALID_INPUT");
    expect(cursor.error.details).toEqual([{ field: "cursor", reason: "invalid cursor" }]);
    const limit = await expectError(await call("/api/v1/teams/team-usage/usage?limit=5000"), 400, "INVALID_INPUT");
    expect(limit.error.details).toEqual([{ field: "limit", reason: expect.any(String) }]);
    const from = await expectError(await call("/api/v1/teams/team-usage/usage?from=last-week"), 400, "INVALID_INPUT");
    expect(from.error.details).toEqual([{ field: "from", reason: expect.any(String) }]);
    await expectError(await call("/api/v1/teams/team-ghost/usage"), 404, "NOT_FOUND");
  });
});

describe("rate limits, outages and unknown paths", () => {
  it("429 with Retry-After once a key exceeds its per-minute limit; nothing stored", async () => {
    await provision("team-rl");
    const key = await createApiKey(t.db, { name: "rate limited", scopes: ["events:write"] });
    setMachineApiDeps({ ...deps, config: { ...config, raw: { ...config.raw, rateLimits: { ...config.raw.rateLimits, machineApiPerMinute: 2 } } } });
    const ok = await call("/api/v1/workspace-events", { key: key.key, body: { events: [] } });
    expect(ok.status).toBe(202);
    expect((await call("/api/v1/workspace-events", { key: key.key, body: { events: [] } })).status).toBe(202);
    const before = await snapshot();
    const limited = await call("/api/v1/workspace-events", { key: key.key, body: { events: [event("team-rl", "rl-1", "started", 1)] } });
    const json = await expectError(limited, 429, "RATE_LIMITED");
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(json.error.details).toMatchObject({ limit: 2, windowSeconds: 60 });
    expect(await snapshot()).toEqual(before);
    // Per key: another key is not affected.
    const other = await createApiKey(t.db, { name: "another key", scopes: ["events:write"] });
    expect((await call("/api/v1/workspace-events", { key: other.key, body: { events: [] } })).status).toBe(202);
  });

  it("503 with Retry-After when PostgreSQL is unreachable; nothing stored; health says which", async () => {
    const before = await snapshot();
    const down = createDb("postgresql://postgres@127.0.0.1:1/nowhere", 1);
    setMachineApiDeps({ ...deps, db: down, bootstrapApiKey: undefined });
    try {
      const events = await call("/api/v1/workspace-events", { body: { events: [event("team-rl", "down-1", "started", 1)] } });
      await expectError(events, 503, "UNAVAILABLE");
      expect(Number(events.headers.get("retry-after"))).toBeGreaterThan(0);
      const check = await call("/api/v1/spending-check", { body: { teamId: "team-rl" } });
      await expectError(check, 503, "UNAVAILABLE");
      expect(check.headers.get("retry-after")).not.toBeNull();
      const health = await fetch(url("/api/health"));
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: "degraded", postgres: "down", redis: "up" });
    } finally {
      await closeDb(down);
    }
    setMachineApiDeps(deps);
    expect(await snapshot()).toEqual(before);
  });

  it("health is 200 when PostgreSQL and Redis answer", async () => {
    const res = await fetch(url("/api/health"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", postgres: "up", redis: "up" });
  });

  it("wrong methods answer a JSON 405 with Allow", async () => {
    const res = await call("/api/v1/spending-check");
    await expectError(res, 405, "METHOD_NOT_ALLOWED");
    expect(res.headers.get("allow")).toBe("POST");
    const del = await call("/api/v1/teams/team-new", { method: "DELETE" });
    await expectError(del, 405, "METHOD_NOT_ALLOWED");
    expect(del.headers.get("allow")).toBe("PUT");
  });

  it("unknown API paths answer the JSON 404", async () => {
    const res = await call(`/api/v1/no-such-thing/${randomUUID()}`);
    await expectError(res, 404, "NOT_FOUND");
  });
});
