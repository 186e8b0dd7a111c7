// `npm run apikey -- <command>`: manage machine API keys (DATABASE_URL).
//   create --name <name> --scopes events:write,spending:read   prints the key ONCE
//   revoke <id>
//   list
import { parseArgs } from "node:util";
import { closeDb, createDb } from "../server/db/client";
import { systemClock } from "../server/lib/clock";
import { API_KEY_SCOPES, createApiKey, isApiKeyScope, listApiKeys, revokeApiKey } from "../server/services/api-keys";

const usage = `Usage:
  npm run apikey -- create --name <name> --scopes <scope,scope,…>   (scopes: ${API_KEY_SCOPES.join(", ")}, or "all")
  npm run apikey -- revoke <id>
  npm run apikey -- list`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: "string" }, scopes: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  const db = createDb(undefined, 2);
  try {
    switch (command) {
      case "create": {
        const scopes = values.scopes === "all" ? [...API_KEY_SCOPES] : (values.scopes ?? "").split(",").map((s) => s.trim()).filter(Boolean);
        const unknown = scopes.filter((s) => !isApiKeyScope(s));
        if (!values.name || scopes.length === 0 || unknown.length > 0) {
          console.error(unknown.length ? `Unknown scope(s): ${unknown.join(", ")}\n${usage}` : usage);
          return 2;
        }
        const key = await createApiKey(db, { name: values.name, scopes: scopes.filter(isApiKeyScope) });
        console.log(`Created API key ${key.id} "${key.name}" (${key.scopes.join(", ")}).`);
        console.log("Store it now; it cannot be shown again:\n");
        console.log(key.key);
        return 0;
      }
      case "revoke": {
        const id = rest[0];
        if (!id) {
          console.error(usage);
          return 2;
        }
        if (!(await revokeApiKey(db, id, systemClock))) {
          console.error(`No API key with id ${id}.`);
          return 1;
        }
        console.log(`Revoked API key ${id}.`);
        return 0;
      }
      case "list": {
        const keys = await listApiKeys(db);
        if (keys.length === 0) console.log("No API keys.");
        for (const k of keys) {
          const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : "active";
          const used = k.lastUsedAt ? `last used ${k.lastUsedAt.toISOString()}` : "never used";
          console.log(`${k.id}  ${k.prefix}…  ${k.name}  [${k.scopes.join(", ")}]  ${state}, ${used}`);
        }
        return 0;
      }
      default:
        console.error(`Unknown command "${command}".\n${usage}`);
        return 2;
    }
  } finally {
    await closeDb(db);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(`apikey: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
