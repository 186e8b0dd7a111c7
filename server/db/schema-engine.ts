// Prisma's migration engine, run from its WASM build. The CLI's native schema-engine binary is
// downloaded from Prisma's own host, which deployment machines may not reach; the WASM engine does
// the same work (and writes the same `_prisma_migrations` records) through the pg driver adapter.
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";
import { pathToFileURL } from "node:url";

type Bindings = typeof import("@prisma/schema-engine-wasm") & { __wbg_set_wasm(exports: WebAssembly.Exports): void };

const require = createRequire(import.meta.url);
let loaded: Promise<Bindings> | undefined;

// The package's entry imports the .wasm file directly, which Node cannot do; load its JS glue and
// instantiate the module ourselves.
async function loadBindings(): Promise<Bindings> {
  const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
  const bindings = (await import(pathToFileURL(path.join(dir, "schema_engine_bg.js")).href)) as Bindings;
  const { instance } = await WebAssembly.instantiate(await readFile(path.join(dir, "schema_engine_bg.wasm")), {
    "./schema_engine_bg.js": bindings as unknown as WebAssembly.ModuleImports,
  });
  bindings.__wbg_set_wasm(instance.exports);
  const start = instance.exports.__wbindgen_start;
  if (typeof start === "function") start();
  return bindings;
}

/** Runs `work` with an engine connected to `databaseUrl`, then closes its connections. */
export async function withSchemaEngine<T>(
  databaseUrl: string,
  datamodel: string,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  loaded ??= loadBindings();
  const bindings = await loaded;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const factory = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool));
  const log = (message: string) => {
    if (process.env.SCHEMA_ENGINE_DEBUG) console.error(message);
  };
  const engine = await bindings.SchemaEngine.new({ datamodels: [["schema.prisma", datamodel]] }, log, factory);
  try {
    return await work(engine);
  } finally {
    engine.free();
    await pool.end();
  }
}

export const projectRoot = path.resolve(import.meta.dirname, "../..");
export const migrationsDir = path.join(projectRoot, "prisma/migrations");
export const schemaPath = path.join(projectRoot, "prisma/schema.prisma");

export async function readMigrationList(baseDir = migrationsDir): Promise<MigrationList> {
  const names = (await readdir(baseDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => {
      const file = path.join(baseDir, name, "migration.sql");
      return {
        path: name,
        migrationFile: { path: "migration.sql", content: { tag: "ok" as const, value: await readFile(file, "utf8") } },
      };
    }),
  );
  const lockPath = path.join(baseDir, "migration_lock.toml");
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: await readFile(lockPath, "utf8").catch(() => null) },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

const noFilters = { externalTables: [], externalEnums: [] };

/** Applies every pending migration in prisma/migrations; returns the names applied. */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  const migrationsList = await readMigrationList();
  const out = await withSchemaEngine(databaseUrl, await readFile(schemaPath, "utf8"), (engine) =>
    engine.applyMigrations({ migrationsList, filters: noFilters }),
  );
  return out.appliedMigrationNames;
}

/** SQL that turns the `from` datamodel (or an empty database) into the `to` datamodel. */
export async function diffDatamodels(databaseUrl: string, from: string | null, to: string): Promise<string> {
  const container = (content: string) => ({ files: [{ path: "schema.prisma", content }] });
  const result = await withSchemaEngine(databaseUrl, to, (engine) =>
    engine.diff({
      from: from === null ? { tag: "empty" } : { tag: "schemaDatamodel", ...container(from) },
      to: { tag: "schemaDatamodel", ...container(to) },
      script: true,
      exitCode: null,
      filters: noFilters,
    }),
  );
  return result.stdout ?? "";
}
