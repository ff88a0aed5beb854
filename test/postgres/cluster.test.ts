// HR_SCIM_WORKERS (src/cluster.ts): N server processes on one port against one PostgreSQL. The
// primary forks them; each answers; SIGTERM stops every worker gracefully and the primary exits 0.
// The scheduler is off here: its runs on the shared test database would touch other files' tenants.
// That each run happens once across processes is tested where it is decided: test/api/scheduler.test.ts
// (the lifecycle step, claimed in scheduled_runs) and test/api/entra-faults.test.ts (the push's lease).
import crypto from "node:crypto";
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { freePort, nodeArgs, startServer } from "../../bench/servers.js";

function childrenOf(pid: number): number[] {
  return fs.readdirSync(`/proc/${pid}/task`).flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number));
}

function isServer(pid: number): boolean {
  try { return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("src/main.ts"); } catch { return false; }
}

describe("HR_SCIM_WORKERS=2", () => {
  it("serves from two worker processes on one port and stops them all on SIGTERM", async () => {
    const port = await freePort();
    const server = await startServer("hr-scim cluster", nodeArgs({ ts: "src/main.ts" }, false), {
      ...process.env, NODE_ENV: "production", PORT: String(port), HR_SCIM_WORKERS: "2", LOG_LEVEL: "info", HR_SCIM_SCHEDULER: "off",
      HR_SCIM_SECRET_KEY: crypto.randomBytes(32).toString("base64"),
    }, port, "/readyz");
    const workers = childrenOf(server.child.pid!).filter(isServer);
    expect(workers).toHaveLength(2);
    for (let i = 0; i < 10; i++) expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    // Both workers have listened once the primary printed the notice.
    for (let i = 0; i < 100 && !server.output().includes("hr-scim is listening"); i++) await new Promise((r) => setTimeout(r, 100));
    const exited = new Promise<number | null>((resolve) => server.child.once("exit", (code) => resolve(code)));
    server.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const log = server.output();
    expect(workers.filter((pid) => fs.existsSync(`/proc/${pid}`) && isServer(pid))).toEqual([]);
    expect(log.match(/"message":"listening"/g)).toHaveLength(2);
    expect(log).toMatch(/"all workers stopped"/);
  });
});
