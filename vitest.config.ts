import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // test/postgres holds tests that need a PostgreSQL server (connections in parallel, faults of
    // the server): they run when the suite runs on PostgreSQL (DATABASE_URL).
    include: ["test/**/*.test.ts"],
    exclude: process.env.DATABASE_URL ? ["**/node_modules/**"] : ["**/node_modules/**", "test/postgres/**"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    env: { NODE_ENV: "test" },
  },
});
