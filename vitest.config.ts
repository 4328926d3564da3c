import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The panel's "@/..." imports (tsconfig paths), for tests of app/_handlers.
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    globalSetup: ["tests/helpers/global-database.ts"],
    setupFiles: ["tests/helpers/use-test-database.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only make the DNS timing noisier.
    maxWorkers: 2,
    // Invitation links are written to the server log by design; in test output they are noise.
    onConsoleLog: (log) => !log.startsWith("[invite]") && !log.startsWith("[password-reset]"),
  },
});
