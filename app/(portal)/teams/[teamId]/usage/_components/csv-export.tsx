"use client";
import { useState } from "react";
import { Button } from "@/app/_components/ui";
import type { UsageFilters, UsageRange } from "@/server/services/usage/scope";

function exportUrl(q: { teamId: string; range: UsageRange; filters: UsageFilters; asOf: Date }): string {
  const p = new URLSearchParams();
  if (q.range.kind === "cycle") {
    p.set("range", "cycle");
    p.set("offset", String(q.range.offset));
  } else {
    p.set("range", "custom");
    p.set("from", q.range.fromDay);
    p.set("to", q.range.toDay);
  }
  if (q.filters.userId) p.set("userId", q.filters.userId);
  if (q.filters.workspaceClass) p.set("workspaceClass", q.filters.workspaceClass);
  p.set("asOf", q.asOf.toISOString());
  return `/api/teams/${encodeURIComponent(q.teamId)}/usage.csv?${p.toString()}`;
}

function filenameOf(res: Response): string {
  const match = /filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") ?? "");
  return match?.[1] ?? "usage.csv";
}

/** Streams the export from the server, counting rows as they arrive, then saves the file. */
export function CsvExportButton({ query, expectedRows }: { query: { teamId: string; range: UsageRange; filters: UsageFilters; asOf: Date }; expectedRows: number }) {
  const [state, setState] = useState<{ kind: "idle" } | { kind: "running"; rows: number } | { kind: "error"; message: string }>({ kind: "idle" });

  async function run() {
    setState({ kind: "running", rows: 0 });
    try {
      const res = await fetch(exportUrl(query));
      if (!res.ok || !res.body) {
        const body: unknown = await res.json().catch(() => null);
        const message = body && typeof body === "object" && "error" in body && body.error && typeof body.error === "object" && "message" in body.error ? String(body.error.message) : res.statusText;
        throw new Error(message || `HTTP ${res.status}`);
      }
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      const parts: string[] = [];
      let lines = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(decoder.decode(value, { stream: true }));
        for (const byte of value) if (byte === 10) lines += 1;
        setState({ kind: "running", rows: Math.max(lines - 1, 0) });
      }
      parts.push(decoder.decode());
      const url = URL.createObjectURL(new Blob(parts, { type: "text/csv;charset=utf-8" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = filenameOf(res);
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setState({ kind: "idle" });
    } catch (e) {
      setState({ kind: "error", message: e instanceof Error ? e.message : "Export failed" });
    }
  }

  const percent = state.kind === "running" && expectedRows > 0 ? Math.min(100, Math.round((state.rows / expectedRows) * 100)) : 0;
  return (
    <span className="inline-flex items-center gap-2">
      <Button variant="secondary" onClick={() => void run()} disabled={state.kind === "running"} data-testid="export-csv">
        {state.kind === "running" ? "Exporting…" : "Export CSV"}
      </Button>
      {state.kind === "running" && (
        <span className="inline-flex items-center gap-2 text-xs text-slate-600" role="status" aria-live="polite">
          <span className="h-1.5 w-20 overflow-hidden rounded bg-slate-100">
            <span className="block h-full bg-indigo-500" style={{ width: `${percent}%` }} />
          </span>
          {state.rows.toLocaleString("en-US")} / {expectedRows.toLocaleString("en-US")} rows
        </span>
      )}
      {state.kind === "error" && (
        <span role="alert" className="text-xs text-red-700">
          Export failed: {state.message}{" "}
          <button type="button" className="underline" onClick={() => void run()}>
            Retry
          </button>
        </span>
      )}
    </span>
  );
}
