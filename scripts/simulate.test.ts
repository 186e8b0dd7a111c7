import { describe, expect, it } from "vitest";
import { eventsOf, parseOptions, SessionFactory, teamsFor } from "./simulate";

describe("simulator sessions", () => {
  const teams = teamsFor(4);
  const run = (seed: number) => {
    const factory = new SessionFactory(seed, "t", teams);
    return Array.from({ length: 2000 }, (_, i) => factory.next(Date.parse("2026-03-01T00:00:00Z") + i * 10_000));
  };

  it("uses the seed teams first, then simulated ones", () => {
    expect(teamsFor(4).map((t) => t.id)).toEqual(["team-acme", "team-globex", "team-initech", "team-sim-4"]);
  });

  it("is deterministic for a seed and different across seeds", () => {
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it("mixes classes, short and long sessions, and leaves a few running", () => {
    const sessions = run(1);
    const share = (f: (s: (typeof sessions)[number]) => boolean) => sessions.filter(f).length / sessions.length;
    expect(share((s) => s.workspaceClass === "g1-small")).toBeGreaterThan(0.4);
    expect(share((s) => s.workspaceClass === "g1-large")).toBeGreaterThan(0.08);
    expect(share((s) => s.stoppedAt === null)).toBeGreaterThan(0.02);
    expect(share((s) => s.stoppedAt === null)).toBeLessThan(0.12);
    expect(share((s) => s.stoppingAt !== null && s.stoppingAt - s.startAt < 15 * 60_000)).toBeGreaterThan(0.4);
    expect(share((s) => s.stoppingAt !== null && s.stoppingAt - s.startAt > 30 * 60_000)).toBeGreaterThan(0.25);
    expect(new Set(sessions.map((s) => s.teamId)).size).toBe(4);
  });

  it("emits started → stopping → stopped with unique ids, or only started when never stopped", () => {
    const [running] = run(1).filter((s) => s.stoppedAt === null);
    const [stopped] = run(1).filter((s) => s.stoppedAt !== null);
    if (!running || !stopped) throw new Error("expected both kinds of session");
    expect(eventsOf(running).map((e) => e.event.type)).toEqual(["started"]);
    const events = eventsOf(stopped);
    expect(events.map((e) => e.event.type)).toEqual(["started", "stopping", "stopped"]);
    expect(events.map((e) => e.at)).toEqual([...events.map((e) => e.at)].sort((a, b) => a - b));
    expect(new Set(events.map((e) => e.event.id)).size).toBe(3);
  });

  it("reads options and environment defaults", () => {
    expect(parseOptions(["--teams", "2", "--rate", "0.5"], { INGEST_API_KEY: "k".repeat(20), APP_URL: "http://localhost:4000/" })).toEqual({
      teams: 2,
      ratePerMinute: 0.5,
      durationSeconds: 0,
      historyHours: 0,
      url: "http://localhost:4000",
      key: "k".repeat(20),
      seed: 1,
    });
    expect(() => parseOptions([], {})).toThrow(/API key/);
  });
});
