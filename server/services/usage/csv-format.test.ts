import { describe, expect, it } from "vitest";
import { csvCell, csvLine, localTimestamp, usageCsvLine, USAGE_CSV_COLUMNS } from "./csv-format";

describe("CSV formatting", () => {
  it("quotes cells with separators, quotes and line breaks", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(12n)).toBe("12");
    expect(csvCell(new Date("2026-11-27T10:00:00Z"))).toBe("2026-11-27T10:00:00.000Z");
  });

  it("defuses text that a spreadsheet would run as a formula, not numbers", () => {
    expect(csvCell("=HYPERLINK(\"x\")")).toBe("\"'=HYPERLINK(\"\"x\"\")\"");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("-5")).toBe("'-5");
    expect(csvCell(-5)).toBe("-5");
  });

  it("ends lines with CRLF", () => {
    expect(csvLine(["a", 1, null])).toBe("a,1,\r\n");
  });

  it("writes a usage row with exact credits and the local start time", () => {
    const line = usageCsvLine(
      {
        id: "42",
        workspaceId: "ws-1",
        instanceId: "inst-1",
        workspaceClass: "g1-large",
        userId: "u-alice",
        userName: "Alice, Acme",
        userEmail: "alice@acme.test",
        startedAt: new Date("2026-11-27T23:30:00Z"),
        stoppedAt: new Date("2026-11-28T01:00:00Z"),
        durationSeconds: 5400,
        creditCents: 123_456_789n,
        running: false,
      },
      "Europe/Berlin",
    );
    expect(line).toBe(
      '42,ws-1,inst-1,g1-large,u-alice,"Alice, Acme",alice@acme.test,2026-11-27T23:30:00.000Z,2026-11-28T01:00:00.000Z,2026-11-28 00:30:00,5400,1234567.89,123456789,stopped\r\n',
    );
    expect(line.split(",").length).toBeGreaterThanOrEqual(USAGE_CSV_COLUMNS.length);
  });

  it("formats local timestamps in the zone", () => {
    expect(localTimestamp(new Date("2026-07-01T12:00:00Z"), "America/New_York")).toBe("2026-07-01 08:00:00");
  });
});
