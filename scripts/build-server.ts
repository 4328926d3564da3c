// npm run build:server: the compiled JavaScript production runs (dist/, see tsconfig.build.json).
//
// Each source is transpiled on its own (the project is isolatedModules), and only when it is
// newer than its output, so a run with nothing to do takes well under a second: `npm start`
// runs this every time, like it rebuilds the panel only when its sources changed. A full
// `tsc -p tsconfig.build.json` would take 7 s of CPU even with nothing to do (it resolves every
// import's declarations), 25 s of wall time on a busy two-core machine.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const configPath = path.join(ROOT, "tsconfig.build.json");
const STAMP = path.join(ROOT, "dist", ".built");

/** Newest .ts under the folders tsconfig.build.json includes (loading TypeScript alone costs a second). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}
const inputs = [configPath, path.join(ROOT, "tsconfig.json"), import.meta.filename];
const newestInput = Math.max(...["lib", "nameserver", "scripts"].map((d) => newestSource(path.join(ROOT, d))), ...inputs.map((f) => statSync(f).mtimeMs));
if (existsSync(STAMP) && statSync(STAMP).mtimeMs >= newestInput) process.exit(0);

const { default: ts } = await import("typescript");
const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n")); } });
if (!parsed) throw new Error("cannot read tsconfig.build.json");
const outDir = parsed.options.outDir!;
// The options apply per file; a config change rebuilds everything.
const configTime = Math.max(statSync(configPath).mtimeMs, statSync(path.join(ROOT, "tsconfig.json")).mtimeMs, statSync(import.meta.filename).mtimeMs);

let built = 0;
for (const source of parsed.fileNames) {
  const out = path.join(outDir, path.relative(ROOT, source)).replace(/\.ts$/, ".js");
  if (existsSync(out) && statSync(out).mtimeMs >= Math.max(statSync(source).mtimeMs, configTime)) continue;
  const { outputText, sourceMapText } = ts.transpileModule(readFileSync(source, "utf8"), {
    fileName: source,
    compilerOptions: { ...parsed.options, module: ts.ModuleKind.ESNext, noEmit: false },
  });
  mkdirSync(path.dirname(out), { recursive: true });
  // The map first: the .js file's time is what says "up to date".
  if (sourceMapText) writeFileSync(`${out}.map`, sourceMapText);
  writeFileSync(out, outputText);
  built++;
}

// The nameserver loads its native UDP addon relative to its own file
// (nameserver/native/build/Release): the compiled nameserver finds the same one through a link,
// so rebuilding the addon (npm run build:native) needs no new dist/.
const nativeLink = path.join(outDir, "nameserver", "native");
if (!lstatSync(nativeLink, { throwIfNoEntry: false })) {
  mkdirSync(path.dirname(nativeLink), { recursive: true });
  symlinkSync(path.relative(path.dirname(nativeLink), path.join(ROOT, "nameserver", "native")), nativeLink);
}
writeFileSync(STAMP, `${new Date().toISOString()}\n`);
if (built) console.log(`build:server: compiled ${built} file${built === 1 ? "" : "s"} into ${path.relative(ROOT, outDir)}/`);
