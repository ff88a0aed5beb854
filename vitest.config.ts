import { configDefaults, defineConfig } from "vitest/config";

// test/postgres: what only a PostgreSQL server has (cut connections, statement timeouts, a pool
// serving requests in parallel); left out of PGlite runs, rather than reported as skipped.
const postgresOnly = process.env.DATABASE_URL ? [] : ["test/postgres/**"];
// test/replica: a streaming replica (scripts/replica-cluster.sh), which the shared server cannot give.
const replicaOnly = process.env.HR_SCIM_TEST_PRIMARY_URL && process.env.HR_SCIM_TEST_REPLICA_URL ? [] : ["test/replica/**"];

// Two projects run one after the other (sequence.groupOrder): the suite, then test/final, whose
// test reads what the whole run logged (test/support/test-run.ts). The global setup is the root's
// only, so it runs once whatever projects have files to run.
const shared = {
  testTimeout: 60_000,
  hookTimeout: 120_000,
  pool: "forks" as const,
  env: { NODE_ENV: "test" },
};

export default defineConfig({
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    projects: [
      { test: { ...shared, name: "suite", include: ["test/**/*.test.ts"], exclude: [...configDefaults.exclude, "test/final/**", ...postgresOnly, ...replicaOnly], sequence: { groupOrder: 0 } } },
      { test: { ...shared, name: "final", include: ["test/final/**/*.test.ts"], sequence: { groupOrder: 1 } } },
    ],
  },
});
