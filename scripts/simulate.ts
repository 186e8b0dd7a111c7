// `npm run simulate -- [options]`: a stand-in for the workspace platform. Drives realistic
// workspace lifecycles for N teams through the machine API only (SPEC §5), so a demo dashboard
// has live data: a spending check before every start, `started` → `stopping` → `stopped`, short
// and long sessions, a mix of classes, a few workspaces never stopped, and the odd replayed batch.
//
//   --teams <n>          teams to drive (default 3): team-acme, team-globex, team-initech, then
//                        team-sim-4…; a team the API doesn't know is created with PUT
//   --rate <n>           workspace starts per minute across all teams (default 1; a team
//                        reaches the default 500-credit limit after ~200 starts)
//   --duration <s>       stop after this many seconds (default 0: until Ctrl-C)
//   --history-hours <h>  first backfill sessions over the last h hours (default 0)
//   --url <url>          app URL (default $APP_URL or http://localhost:3000)
//   --key <key>          API key with events:write, spending:read, teams:write
//                        (default $INGEST_API_KEY)
//   --seed <n>           PRNG seed (default 1): the same seed makes the same decisions; event ids
//                        also carry the run's start time, so two runs never collide
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { prng } from "../server/lib/prng";

export interface SimOptions {
  teams: number;
  ratePerMinute: number;
  durationSeconds: number;
  historyHours: number;
  url: string;
  key: string;
  seed: number;
}

export type EventType = "started" | "stopping" | "stopped";

export interface SimEvent {
  id: string;
  type: EventType;
  instanceId: string;
  workspaceId: string;
  teamId: string;
  userId: string;
  userName: string;
  workspaceClass: string;
  occurredAt: string;
  contextUrl: string;
}

export interface Session {
  instanceId: string;
  teamId: string;
  userId: string;
  userName: string;
  workspaceId: string;
  workspaceClass: string;
  contextUrl: string;
  startAt: number;
  /** null: never stopped (a forgotten workspace). */
  stoppingAt: number | null;
  stoppedAt: number | null;
}

const KNOWN_TEAMS: [string, string][] = [
  ["team-acme", "Acme Corp"],
  ["team-globex", "Globex"],
  ["team-initech", "Initech"],
];
const FIRST_NAMES = ["Ada", "Grace", "Alan", "Barbara", "Linus", "Margaret", "Ken", "Radia", "Dennis", "Frances", "Edsger", "Hedy"];
const REPOS = ["web", "api", "mobile", "infra", "docs", "data-pipeline"];
const CLASS_MIX: [string, number][] = [
  ["g1-small", 0.5],
  ["g1-standard", 0.35],
  ["g1-large", 0.15],
];

export function teamsFor(count: number): { id: string; name: string }[] {
  return Array.from({ length: count }, (_, i) => {
    const known = KNOWN_TEAMS[i];
    return known ? { id: known[0], name: known[1] } : { id: `team-sim-${i + 1}`, name: `Simulated Team ${i + 1}` };
  });
}

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

/** Decides sessions; deterministic for a seed. */
export class SessionFactory {
  private n = 0;
  private readonly random: () => number;
  private readonly users: Map<string, { id: string; name: string }[]>;

  constructor(
    seed: number,
    private readonly runTag: string,
    private readonly teams: { id: string }[],
  ) {
    this.random = prng(seed);
    this.users = new Map(
      teams.map((team) => {
        const count = 2 + Math.floor(this.random() * 5);
        return [team.id, Array.from({ length: count }, (_, u) => ({ id: `${team.id}-user-${u + 1}`, name: `${pick(this.random, FIRST_NAMES)} ${String.fromCharCode(65 + u)}.` }))];
      }),
    );
  }

  next(startAt: number): Session {
    this.n += 1;
    const r = this.random;
    // Bigger teams (earlier in the list) start more workspaces.
    const weights = this.teams.map((_, i) => 1 / (i + 1));
    let roll = r() * weights.reduce((a, b) => a + b, 0);
    let teamIndex = 0;
    while (teamIndex < weights.length - 1 && roll >= (weights[teamIndex] ?? 0)) {
      roll -= weights[teamIndex] ?? 0;
      teamIndex += 1;
    }
    const team = this.teams[teamIndex] ?? this.teams[0];
    if (!team) throw new Error("no teams");
    const user = pick(r, this.users.get(team.id) ?? []);
    let classRoll = r();
    let workspaceClass = CLASS_MIX[0]?.[0] ?? "g1-small";
    for (const [cls, share] of CLASS_MIX) {
      if (classRoll < share) {
        workspaceClass = cls;
        break;
      }
      classRoll -= share;
    }
    const kind = r();
    const minutes = kind < 0.55 ? 2 + r() * 13 : kind < 0.94 ? 30 + r() * 150 : null;
    const stoppingAt = minutes === null ? null : startAt + Math.round(minutes * 60_000);
    const stoppedAt = stoppingAt === null ? null : stoppingAt + 5_000 + Math.round(r() * 35_000);
    const repo = pick(r, REPOS);
    const instanceId = `sim-${this.runTag}-${this.n}`;
    return {
      instanceId,
      teamId: team.id,
      userId: user.id,
      userName: user.name,
      workspaceId: `ws-${team.id}-${repo}-${user.id.split("-").pop() ?? "0"}`,
      workspaceClass,
      contextUrl: `https://github.com/${team.id.replace(/^team-/, "")}/${repo}`,
      startAt,
      stoppingAt,
      stoppedAt,
    };
  }
}

export function eventsOf(s: Session): { at: number; event: SimEvent }[] {
  const make = (type: EventType, at: number) => ({
    at,
    event: {
      id: `${s.instanceId}-${type}`,
      type,
      instanceId: s.instanceId,
      workspaceId: s.workspaceId,
      teamId: s.teamId,
      userId: s.userId,
      userName: s.userName,
      workspaceClass: s.workspaceClass,
      occurredAt: new Date(at).toISOString(),
      contextUrl: s.contextUrl,
    },
  });
  return [
    make("started", s.startAt),
    ...(s.stoppingAt === null ? [] : [make("stopping", s.stoppingAt)]),
    ...(s.stoppedAt === null ? [] : [make("stopped", s.stoppedAt)]),
  ];
}

class Api {
  constructor(
    private readonly baseUrl: string,
    private readonly key: string,
  ) {}

  /** Sends a request, waiting out 429/503 (Retry-After) a few times. */
  async request(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json: unknown = await res.json().catch(() => null);
      if ((res.status === 429 || res.status === 503) && attempt < 5) {
        const wait = Number(res.headers.get("retry-after") ?? "5");
        console.warn(`simulate: ${res.status} from ${path}, retrying in ${wait} s`);
        await new Promise((r) => setTimeout(r, wait * 1000));
        continue;
      }
      return { status: res.status, json };
    }
  }
}

export function parseOptions(argv: string[], env: Record<string, string | undefined> = process.env): SimOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      teams: { type: "string", default: "3" },
      rate: { type: "string", default: "1" },
      duration: { type: "string", default: "0" },
      "history-hours": { type: "string", default: "0" },
      url: { type: "string", default: env.APP_URL ?? "http://localhost:3000" },
      key: { type: "string", default: env.INGEST_API_KEY ?? "" },
      seed: { type: "string", default: "1" },
    },
  });
  const num = (name: string, text: string, min: number) => {
    const n = Number(text);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}`);
    return n;
  };
  if (!values.key) throw new Error("an API key is needed: --key <key> or INGEST_API_KEY");
  return {
    teams: Math.floor(num("teams", values.teams, 1)),
    ratePerMinute: num("rate", values.rate, 0),
    durationSeconds: num("duration", values.duration, 0),
    historyHours: num("history-hours", values["history-hours"], 0),
    url: values.url.replace(/\/$/, ""),
    key: values.key,
    seed: Math.floor(num("seed", values.seed, 0)),
  };
}

export async function simulate(options: SimOptions): Promise<void> {
  const api = new Api(options.url, options.key);
  const teams = teamsFor(options.teams);
  for (const team of teams) {
    const check = await api.request("POST", "/api/v1/spending-check", { teamId: team.id });
    if (check.status === 404) {
      const put = await api.request("PUT", `/api/v1/teams/${team.id}`, { name: team.name });
      if (put.status !== 201 && put.status !== 200) throw new Error(`could not create ${team.id}: ${put.status} ${JSON.stringify(put.json)}`);
      console.log(`simulate: created ${team.id}`);
    } else if (check.status !== 200) {
      throw new Error(`spending check for ${team.id} failed: ${check.status} ${JSON.stringify(check.json)}`);
    }
  }
  const started = Date.now();
  const factory = new SessionFactory(options.seed, `${options.seed}-${Math.floor(started / 1000).toString(36)}`, teams);
  const random = prng(options.seed ^ 0x5eed);
  const pending: { at: number; event: SimEvent }[] = [];
  const stats = { sessions: 0, denied: 0, accepted: 0, duplicates: 0, failed: 0 };
  let lastBatch: SimEvent[] = [];

  async function send(events: SimEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += 1000) {
      const batch = events.slice(i, i + 1000);
      const res = await api.request("POST", "/api/v1/workspace-events", { events: batch });
      if (res.status === 202) {
        const json = res.json as { accepted: number; duplicates: number };
        stats.accepted += json.accepted;
        stats.duplicates += json.duplicates;
        lastBatch = batch;
      } else {
        stats.failed += batch.length;
        console.error(`simulate: batch refused: ${res.status} ${JSON.stringify(res.json)}`);
      }
    }
  }

  if (options.historyHours > 0 && options.ratePerMinute > 0) {
    const from = started - options.historyHours * 3_600_000;
    const past: SimEvent[] = [];
    for (let t = from; t < started; t += -Math.log(1 - random()) * (60_000 / options.ratePerMinute)) {
      for (const e of eventsOf(factory.next(Math.round(t)))) {
        // What already happened is sent now; a session still running continues live.
        if (e.at <= started) past.push(e.event);
        else pending.push(e);
      }
      stats.sessions += 1;
    }
    past.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
    await send(past);
    console.log(`simulate: backfilled ${stats.sessions} sessions over ${options.historyHours} h (${past.length} events)`);
  }

  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const deadline = options.durationSeconds > 0 ? started + options.durationSeconds * 1000 : Number.POSITIVE_INFINITY;
  let nextStart = started + (options.ratePerMinute > 0 ? -Math.log(1 - random()) * (60_000 / options.ratePerMinute) : Number.POSITIVE_INFINITY);
  let lastReport = started;
  console.log(`simulate: ${teams.length} teams, ${options.ratePerMinute} starts/min against ${options.url} (Ctrl-C to stop)`);

  while (!stopping && Date.now() < deadline) {
    const now = Date.now();
    while (nextStart <= now) {
      const session = factory.next(Math.round(nextStart));
      nextStart += -Math.log(1 - random()) * (60_000 / options.ratePerMinute);
      // Like the platform: ask before every start.
      const check = await api.request("POST", "/api/v1/spending-check", { teamId: session.teamId, workspaceClass: session.workspaceClass });
      const answer = check.json as { allowed?: boolean; reason?: string } | null;
      if (check.status !== 200 || !answer?.allowed) {
        stats.denied += 1;
        if (check.status !== 200 || stats.denied % 10 === 1) console.log(`simulate: start denied for ${session.teamId}: ${check.status} ${answer?.reason ?? JSON.stringify(check.json)}`);
        continue;
      }
      stats.sessions += 1;
      pending.push(...eventsOf(session));
    }
    pending.sort((a, b) => a.at - b.at);
    const due: SimEvent[] = [];
    while (pending.length > 0 && (pending[0]?.at ?? Infinity) <= now) {
      const item = pending.shift();
      if (item) due.push(item.event);
    }
    if (due.length > 0) await send(due);
    // Now and then the platform retries a batch it already delivered: must count as duplicates.
    if (lastBatch.length > 0 && random() < 0.02) await send(lastBatch);
    if (now - lastReport >= 30_000) {
      lastReport = now;
      console.log(`simulate: ${JSON.stringify({ ...stats, scheduled: pending.length })}`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  console.log(`simulate: done ${JSON.stringify({ ...stats, scheduled: pending.length })}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await simulate(parseOptions(process.argv.slice(2)));
  } catch (error) {
    console.error(`simulate: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
