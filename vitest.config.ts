import { defineConfig } from "vitest/config";

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
      { test: { ...shared, name: "suite", include: ["test/**/*.test.ts"], exclude: ["test/final/**"], sequence: { groupOrder: 0 } } },
      { test: { ...shared, name: "final", include: ["test/final/**/*.test.ts"], sequence: { groupOrder: 1 } } },
    ],
  },
});
