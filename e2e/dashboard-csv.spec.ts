import { readFile } from "node:fs/promises";
import { expect, test } from "./fixtures";
import { centsOfDisplay } from "./dashboard-support";

test("the CSV export of the current cycle downloads and its rows add up to the page's total", async ({ page, signInAs }) => {
  await signInAs("alice@acme.test");
  await page.goto("/teams/team-acme/usage");
  const total = page.getByTestId("range-total");
  await expect(total).toHaveText(/\d\.\d\d$/);
  const pageCents = centsOfDisplay(await total.innerText());
  const pageRows = Number((await page.getByTestId("range-entries").innerText()).replaceAll(",", ""));
  expect(pageRows).toBeGreaterThan(0);

  const downloadPromise = page.waitForEvent("download");
  await page.getByTestId("export-csv").click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^usage-team-acme-.*\.csv$/);
  const path = await download.path();
  const text = await readFile(path, "utf8");
  const [header, ...lines] = text.split("\r\n").filter((l) => l !== "");
  const columns = (header ?? "").split(",");
  const centsCol = columns.indexOf("credit_cents");
  expect(centsCol).toBeGreaterThan(-1);
  // Names may contain quoted commas; credit_cents is counted from the end of the line to stay exact.
  const fromEnd = columns.length - centsCol;
  const sum = lines.reduce((s, line) => {
    const cells = line.split(",");
    return s + BigInt(cells[cells.length - fromEnd] ?? "x");
  }, 0n);
  expect(lines).toHaveLength(pageRows);
  expect(sum).toBe(pageCents);
});
