// DESIGN invariant: no code path writes records except the write path (lib/zone/change-set.ts).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const WRITE_PATH = "lib/zone/change-set.ts";
const RECORD_WRITE = /\.record\.(create|createMany|createManyAndReturn|update|updateMany|upsert|delete|deleteMany)\b|(INSERT INTO|UPDATE|DELETE FROM)\s+"Record"/;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((entry) => {
    const rel = path.join(dir, entry);
    if (["node_modules", "generated", ".next"].includes(entry)) return [];
    if (statSync(path.join(ROOT, rel)).isDirectory()) return sourceFiles(rel);
    return /\.(ts|tsx)$/.test(entry) ? [rel] : [];
  });
}

describe("the one write path", () => {
  it("only lib/zone/change-set.ts writes records", () => {
    const offenders = ["lib", "app", "nameserver", "scripts", "bench"]
      .flatMap((d) => { try { return sourceFiles(d); } catch { return []; } })
      .filter((f) => f !== WRITE_PATH && RECORD_WRITE.test(readFileSync(path.join(ROOT, f), "utf8")));
    expect(offenders).toEqual([]);
    expect(RECORD_WRITE.test(readFileSync(path.join(ROOT, WRITE_PATH), "utf8"))).toBe(true);
  });
});
