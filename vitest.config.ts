import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "test/**/*.test.ts"],
          exclude: ["test/server/**", "test/e2e/**"],
          pool: "threads",
          // A few tests start the installed CLI as a process; on a busy 2-core machine that can take seconds.
          testTimeout: 30_000,
        },
      },
      {
        // Server tests share one embedded database, so they run one file at a time in one process.
        test: {
          name: "server",
          include: ["test/server/**/*.test.ts"],
          pool: "forks",
          maxWorkers: 1,
          isolate: false,
          fileParallelism: false,
          // Generous: some tests start the CLI on a fresh on-disk PGlite (seconds each on a loaded 2-core CI).
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The web application in a real browser (Debian's Chromium), against the built dist/web.
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          pool: "forks",
          maxWorkers: 1,
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
