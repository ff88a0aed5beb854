import { describe, it, expect } from "vitest";
import { runCli } from "../../src/cli/run.js";

async function run(argv: string[]) {
  let stdout = "", stderr = "";
  // A data directory that must never be created: these cases fail or finish before the database opens.
  const env = { HR_SCIM_DATA_DIR: "/nonexistent/hr-scim-cli-unit" };
  const status = await runCli(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, env });
  return { status, stdout, stderr };
}

describe("runCli without a database", () => {
  it("prints usage on stdout for --help, exit 0", async () => {
    const r = await run(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("token issue --tenant <slug> --name <name>");
    expect(r.stderr).toBe("");
  });

  it("prints usage on stderr without a command, exit 1", async () => {
    const r = await run([]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Usage:");
  });

  it("reports bad usage on stderr only, exit 1", async () => {
    for (const argv of [["frobnicate"], ["token", "issue", "--tenant", "demo", "--json"], ["tenant", "create", "Bad_Slug", "--name", "x"]]) {
      const r = await run(argv);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^error: /);
    }
  });
});
