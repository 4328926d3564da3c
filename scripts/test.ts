// npm test: every suite (unit + integration with vitest, browser with Playwright when present),
// then one closing line that totals them all, e.g. "tests: 212 passed, 0 failed".
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../lib/db/bootstrap.ts";

const bin = (name: string) => path.join(PROJECT_ROOT, "node_modules", ".bin", name);
const out = path.join(PROJECT_ROOT, "tmp", "test-results");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

interface Totals { passed: number; failed: number; skipped: number; ok: boolean }
const suites: [string, Totals][] = [];

function runVitest(): Totals {
  const report = path.join(out, "vitest.json");
  const r = spawnSync(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`], { cwd: PROJECT_ROOT, stdio: "inherit" });
  if (!existsSync(report)) return { passed: 0, failed: 1, skipped: 0, ok: false };
  const json = JSON.parse(readFileSync(report, "utf8"));
  const skipped = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
  return { passed: json.numPassedTests, failed: json.numFailedTests, skipped, ok: r.status === 0 };
}

function runPlaywright(): Totals {
  const report = path.join(out, "playwright.json");
  const r = spawnSync(bin("playwright"), ["test", "--reporter=list,json"], {
    cwd: PROJECT_ROOT,
    stdio: "inherit",
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: report },
  });
  if (!existsSync(report)) return { passed: 0, failed: 1, skipped: 0, ok: false };
  const stats = JSON.parse(readFileSync(report, "utf8")).stats;
  return { passed: stats.expected + (stats.flaky ?? 0), failed: stats.unexpected, skipped: stats.skipped, ok: r.status === 0 };
}

function runTypecheck(): Totals {
  // next build type-checks the same files; catching it here names the culprit early.
  const r = spawnSync(bin("tsc"), ["--noEmit"], { cwd: PROJECT_ROOT, stdio: "inherit" });
  return r.status === 0 ? { passed: 1, failed: 0, skipped: 0, ok: true } : { passed: 0, failed: 1, skipped: 0, ok: false };
}

suites.push(["typecheck", runTypecheck()]);
suites.push(["unit+integration", runVitest()]);
const e2eDir = path.join(PROJECT_ROOT, "tests", "e2e");
if (existsSync(e2eDir) && readdirSync(e2eDir).some((f) => f.endsWith(".spec.ts"))) suites.push(["browser", runPlaywright()]);

const total = suites.reduce((t, [, s]) => ({ passed: t.passed + s.passed, failed: t.failed + s.failed, skipped: t.skipped + s.skipped }), { passed: 0, failed: 0, skipped: 0 });
for (const [name, s] of suites) console.log(`${name}: ${s.passed} passed, ${s.failed} failed${s.ok ? "" : " (runner reported failure)"}`);
const ok = suites.every(([, s]) => s.ok) && total.failed === 0 && total.passed > 0;
console.log(`tests: ${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`);
process.exit(ok ? 0 : 1);
