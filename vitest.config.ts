import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "test/**/*.test.ts"],
          exclude: ["test/server/**"],
          pool: "threads",
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
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
