import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // test/postgres: what only a PostgreSQL server has (cut connections, statement timeouts, a pool
    // serving requests in parallel); left out of PGlite runs, rather than reported as skipped.
    exclude: [...configDefaults.exclude, ...(process.env.DATABASE_URL ? [] : ["test/postgres/**"])],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    env: { NODE_ENV: "test" },
  },
});
