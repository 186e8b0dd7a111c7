// `npm run db:generate` (also postinstall): generates the Prisma client into server/db/generated.
// Generation runs in WASM; Prisma's CLI still insists on locating a schema-engine binary, which it
// would otherwise download from a host our machines cannot reach, so point it at any executable.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const engine = process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? (existsSync("/usr/bin/true") ? "/usr/bin/true" : process.execPath);
const result = spawnSync("prisma", ["generate"], {
  stdio: "inherit",
  shell: process.platform === "win32",
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: engine, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
});
process.exit(result.status ?? 1);
