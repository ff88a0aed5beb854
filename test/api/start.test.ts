// `npm start` as a newcomer runs it (src/main.ts in its own process): it migrates, seeds the demo
// tenant into an empty store, prints the SCIM base URL and a curl command whose token works, and
// stops cleanly on SIGTERM. Against DATABASE_URL when the suite runs on PostgreSQL, else a PGlite
// directory of its own.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { recordProcessOutput, recordSecret } from "../support/test-run.js";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hr-scim-start-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("npm start", () => {
  it("serves the demo tenant, prints a working curl command, and exits 0 on SIGTERM", async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    // Vite puts BASE_URL=/ in the test process's environment: the server must not inherit it.
    const { BASE_URL: _vite, ...inherited } = process.env;
    const env = { ...inherited, PORT: String(port), HR_SCIM_DATA_DIR: dataDir, LOG_LEVEL: "debug", NODE_ENV: "development" };
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    let out = "";
    let err = "";
    child.stderr.on("data", (chunk) => { err += chunk; });
    const curl = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk) => {
        out += chunk;
        const line = out.split("\n").find((l) => l.trim().startsWith("curl "));
        if (line) resolve(line.trim());
      });
      child.on("exit", () => reject(new Error(`exited before printing the curl command:\n${out}`)));
    });
    expect(out, out).toContain(`SCIM base URL: http://localhost:${port}/scim/v2`);
    const [, token, url] = /Bearer ([^"]+)" "([^"]+)"/.exec(curl) ?? [];
    recordSecret(token);
    const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.Resources.map((u: any) => u.userName)).toContain("ada.lovelace");
    child.kill("SIGTERM");
    const code = await exited;
    // Its output is searched for secrets and personal data with the run's logs (test/final).
    recordProcessOutput("npm-start", { stdout: out, stderr: err });
    expect(code).toBe(0);
  }, 60_000);
});
