// Where the project is, for code that runs both from its sources (tsx, Next, vitest) and
// compiled into dist/ (production): import.meta.dirname differs between the two, the project's
// package.json does not.
import { existsSync } from "node:fs";
import path from "node:path";

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PROJECT_ROOT = findProjectRoot(import.meta.dirname);
export const PRISMA_DIR = path.join(PROJECT_ROOT, "prisma");
