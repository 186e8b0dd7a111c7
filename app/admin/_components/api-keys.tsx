"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/app/_trpc/client";
import { Button, Card, EmptyState, ErrorState, inputClass, Skeleton } from "@/app/_components/ui";
import { formatFullDateTime } from "@/app/_components/format";
import type { ApiKeyScope } from "@/server/services/api-keys";

/** `allScopes` comes from the server component: the api-keys module uses node:crypto and stays on the server. */
export function ApiKeys({ allScopes }: { allScopes: readonly ApiKeyScope[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.admin.apiKeys.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.apiKeys.queryKey() });
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiKeyScope[]>([...allScopes]);
  const [confirmRevoke, setConfirmRevoke] = useState<string | null>(null);
  const create = useMutation(trpc.admin.createApiKey.mutationOptions({ onSuccess: async () => { setName(""); await refresh(); } }));
  const revoke = useMutation(trpc.admin.revokeApiKey.mutationOptions({ onSuccess: () => setConfirmRevoke(null), onSettled: refresh }));
  return (
    <div className="mt-4 space-y-4">
      <Card title="Create a key">
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ name, scopes });
          }}
        >
          <label className="block max-w-md text-xs font-medium text-slate-600">
            Name (who uses it)
            <input className={`${inputClass} mt-1`} value={name} onChange={(e) => setName(e.target.value)} name="name" />
          </label>
          <fieldset className="flex flex-wrap gap-3 text-sm">
            <legend className="mb-1 text-xs font-medium text-slate-600">Scopes</legend>
            {allScopes.map((s) => (
              <label key={s} className="inline-flex items-center gap-1.5">
                <input
                  type="checkbox"
                  checked={scopes.includes(s)}
                  onChange={(e) => setScopes((cur) => (e.target.checked ? [...cur, s] : cur.filter((x) => x !== s)))}
                />
                <span className="font-mono text-xs">{s}</span>
              </label>
            ))}
          </fieldset>
          {create.isError && (
            <p role="alert" className="text-sm text-red-700">
              {create.error.message}
            </p>
          )}
          <Button type="submit" disabled={create.isPending || name.trim() === "" || scopes.length === 0}>
            {create.isPending ? "Creating…" : "Create key"}
          </Button>
        </form>
        {create.data && (
          <div className="mt-3 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900" role="status">
            <p className="font-medium">Copy the key now — it will not be shown again.</p>
            <p className="mt-1 break-all font-mono text-xs" data-testid="new-api-key">
              {create.data.key}
            </p>
            <Button variant="secondary" className="mt-2" onClick={() => void navigator.clipboard.writeText(create.data.key)}>
              Copy key
            </Button>
          </div>
        )}
      </Card>
      <Card title="Keys">
        {keys.isPending && <Skeleton className="h-32" label="Loading keys" />}
        {keys.isError && <ErrorState message={`Could not load keys: ${keys.error.message}`} onRetry={() => void keys.refetch()} />}
        {keys.data && keys.data.length === 0 && <EmptyState title="No keys yet" />}
        {keys.data && keys.data.length > 0 && (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="api-keys">
            {keys.data.map((k) => (
              <li key={k.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span className="min-w-0">
                  <span className="font-medium">{k.name}</span> <span className="font-mono text-xs text-slate-500">{k.prefix}…</span>
                  <span className="block text-xs text-slate-500">
                    {k.scopes.join(", ")} · created {formatFullDateTime(k.createdAt, "UTC")} UTC · {k.lastUsedAt ? `last used ${formatFullDateTime(k.lastUsedAt, "UTC")} UTC` : "never used"}
                  </span>
                </span>
                {k.revokedAt ? (
                  <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-600">revoked {formatFullDateTime(k.revokedAt, "UTC")}</span>
                ) : confirmRevoke === k.id ? (
                  <span className="flex gap-2">
                    <Button variant="danger" onClick={() => revoke.mutate({ id: k.id })} disabled={revoke.isPending}>
                      Confirm revoke
                    </Button>
                    <Button variant="secondary" onClick={() => setConfirmRevoke(null)}>
                      Cancel
                    </Button>
                  </span>
                ) : (
                  <Button variant="secondary" onClick={() => setConfirmRevoke(k.id)}>
                    Revoke
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
