import { describe, expect, it } from "vitest";
import { DomainError } from "../../domain/errors";
import { useTestDatabase } from "../../testing/db";
import { listTeamNotifications } from ".";

describe("team notifications", () => {
  const t = useTestDatabase();

  it("lists the team's notifications newest first, and no other team's", async () => {
    await t.db.team.createMany({ data: [{ id: "team-n", name: "N", timeZone: "Europe/Berlin" }, { id: "team-other", name: "O" }] });
    await t.db.notification.createMany({
      data: [
        { teamId: "team-n", kind: "dispute", idempotencyKey: "dispute:dp_1", title: "Payment disputed", body: "Team blocked.", createdAt: new Date("2026-11-01T10:00:00Z") },
        { teamId: "team-n", kind: "dispute", idempotencyKey: "dispute:dp_2", title: "Second dispute", body: "Still blocked.", createdAt: new Date("2026-11-02T10:00:00Z") },
        { teamId: "team-other", kind: "dispute", idempotencyKey: "dispute:dp_3", title: "Not yours", body: "-", createdAt: new Date("2026-11-03T10:00:00Z") },
      ],
    });
    const { timeZone, notifications } = await listTeamNotifications(t.db, "team-n");
    expect(timeZone).toBe("Europe/Berlin");
    expect(notifications.map((n) => n.title)).toEqual(["Second dispute", "Payment disputed"]);
  });

  it("says which team is unknown", async () => {
    await expect(listTeamNotifications(t.db, "team-missing")).rejects.toEqual(new DomainError("NOT_FOUND", "Team team-missing not found."));
  });
});
