// Secrets and personal data never reach the logs (brief: "tokens never logged; logs never carry HR
// personal data or Authorization headers"). Runs after every other test file (project "final" in
// vitest.config.ts) and reads what the run left (test/support/test-run.ts): every test process's
// log lines at debug level, the tokens the test helpers issued, the output of spawned servers.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { localDate } from "../../src/hr/lifecycle.js";
import { demoEmployees } from "../../src/seeds/demo-data.js";
import { TEST_NOW } from "../support/test-clock.js";
import { RUN_FILES } from "../support/test-run.js";

const TOKEN_SHAPE = /hrscim_\d+_[A-Za-z0-9_-]{43}/;
const ADMIN_KEY_SHAPE = /hrscimadm_[A-Za-z0-9_-]{43}/;
const BEARER_VALUE = /bearer\s+[A-Za-z0-9._~+/-]{6,}/i;
/** The one place a server prints secrets: the demo token and admin key banner of `npm start`, shown once by design. */
const BANNER = [/^Demo tenant token \(shown once[^)]*\): /, /^\s*curl -s -H "Authorization: Bearer /, /^Demo admin key \(shown once[^)]*\): /];

interface Text { source: string; text: string }

const dir = inject("testRunDir");
const read = (...parts: string[]) => fs.readFileSync(path.join(dir, ...parts), "utf8");
const exists = (...parts: string[]) => fs.existsSync(path.join(dir, ...parts));
const filesIn = (folder: string) => (exists(folder) ? fs.readdirSync(path.join(dir, folder)) : []);

let apps: string[];
let logs: Text[];
let processes: Text[];
let secrets: string[];

beforeAll(() => {
  apps = exists(RUN_FILES.apps) ? read(RUN_FILES.apps).split("\n").filter(Boolean) : [];
  logs = filesIn(RUN_FILES.logs).map((f) => ({ source: `logs/${f}`, text: read(RUN_FILES.logs, f) }));
  processes = filesIn(RUN_FILES.processes).map((f) => ({
    source: `processes/${f}`,
    text: read(RUN_FILES.processes, f).split("\n").filter((line) => !BANNER.some((b) => b.test(line))).join("\n"),
  }));
  secrets = exists(RUN_FILES.secrets) ? read(RUN_FILES.secrets).split("\n").filter(Boolean) : [];
});

/** Where `needle` occurs, as "source: ...context..." (for the failure message), or null. */
function findIn(texts: Text[], needle: string | RegExp): string | null {
  for (const { source, text } of texts) {
    const at = typeof needle === "string" ? text.indexOf(needle) : text.search(needle);
    if (at >= 0) return `${source}: ${text.slice(Math.max(0, at - 80), at + 80)}`;
  }
  return null;
}

/** Names, logins, emails and phone numbers of the demo seed's employees. */
function sampleHrValues(): string[] {
  const values = new Set<string>();
  for (const e of demoEmployees(localDate(TEST_NOW, "Europe/Paris"))) {
    values.add(`${e.firstName} ${e.lastName}`);
    values.add(e.login);
    for (const phone of [e.workPhone, e.mobilePhone]) if (phone) values.add(phone);
  }
  values.add("@demo.example");
  values.add("@other.example");
  return [...values];
}

describe("the logs of this test run", () => {
  it("exist for every app the run built, as JSON lines", () => {
    // Run alone, this project finds no app built: there is nothing to read, and nothing to assert.
    const lines = logs.flatMap((l) => l.text.split("\n").filter(Boolean));
    if (apps.length > 0) expect(lines.length, "apps were built but nothing was logged").toBeGreaterThan(0);
    for (const file of new Set(apps)) expect(exists(RUN_FILES.logs, file), file).toBe(true);
    for (const line of lines) expect(() => JSON.parse(line), line.slice(0, 200)).not.toThrow();
  });

  it("carry no issued token, nothing shaped like a token and no Bearer value", () => {
    const texts = [...logs, ...processes];
    if (apps.length > 0) expect(secrets.length, "tokens issued through the helpers are recorded").toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(findIn(texts, secret), "an issued token").toBeNull();
      // Its random part alone, as a log line that cut the prefix would hold it.
      expect(findIn(texts, secret.slice(-43)), "an issued token's secret part").toBeNull();
    }
    expect(findIn(texts, TOKEN_SHAPE), "a token").toBeNull();
    expect(findIn(texts, ADMIN_KEY_SHAPE), "an admin key").toBeNull();
    expect(findIn(texts, BEARER_VALUE), "a Bearer header value").toBeNull();
  });

  it("carry no name, login, email or phone number of the demo seed's employees", () => {
    const texts = [...logs, ...processes].map((t) => ({ source: t.source, text: t.text.toLowerCase() }));
    for (const value of sampleHrValues()) expect(findIn(texts, value.toLowerCase()), value).toBeNull();
  });
});
