// Prisma's migration engine, run as WebAssembly (the native binary cannot be downloaded here;
// see docs/decisions/002-migrations-without-engine-download.md).
//
// The package is a bundler-style wasm module ("import * as wasm from './x.wasm'"), which plain
// Node only loads behind --experimental-wasm-modules. We instantiate the .wasm ourselves instead,
// wiring its imports to the package's JS glue, so every entry point runs without extra flags.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

const require = createRequire(import.meta.url);

type SchemaEngineModule = typeof import("@prisma/schema-engine-wasm");
let loaded: Promise<SchemaEngineModule> | undefined;

async function loadSchemaEngine(): Promise<SchemaEngineModule> {
  const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
  const glue = await import(path.join(dir, "schema_engine_bg.js"));
  const bytes = await readFile(path.join(dir, "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": glue });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  return glue as SchemaEngineModule;
}

export async function openSchemaEngine(databaseUrl: string, schemaPath: string, schemaText: string) {
  loaded ??= loadSchemaEngine();
  const { SchemaEngine } = await loaded;
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: databaseUrl }));
  const log = () => {};
  return SchemaEngine.new({ datamodels: [[schemaPath, schemaText]] } as never, log, adapter as never);
}
