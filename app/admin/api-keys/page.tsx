import { API_KEY_SCOPES } from "@/server/services/api-keys";
import { ApiKeys } from "../_components/api-keys";

export const metadata = { title: "API keys" };

export default function ApiKeysPage() {
  return (
    <>
      <h1 className="text-xl font-semibold">API keys</h1>
      <p className="mt-1 text-sm text-slate-600">Keys for the workspace platform to call the machine API (/api/v1). A key is shown once, when it is created.</p>
      <ApiKeys allScopes={API_KEY_SCOPES} />
    </>
  );
}
