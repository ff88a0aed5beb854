// The CSV import (issue 11), through POST /hr/v1/imports and the CLI: the demo organisation's file
// imported into an empty tenant gives the SCIM view of the seeded demo tenant; one bad row refuses
// the file (naming line and column) and changes nothing; a dry run changes nothing; semicolon and
// BOM files import; a snapshot lists the absent employees and can make them leavers.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { openDatabase } from "../../src/db/database.js";
import { demoOrganisationCsv } from "../../src/seeds/demo-csv.js";
import { buildTestApp, issueTestToken, makeTenant, type TestApp } from "../support/build-test-app.js";
import { bearer, ENTERPRISE } from "../support/scim-client.js";
import { TEST_TODAY } from "../support/test-clock.js";
import { hrSnapshot, hrTenant } from "./hr-fixture.js";

let t: TestApp;
beforeAll(async () => { t = await buildTestApp(); });
afterAll(() => t.close());

const postCsv = (token: string, csv: string | Buffer, query = "") =>
  t.request().post(`/hr/v1/imports${query}`).set(bearer(token)).set("Content-Type", "text/csv; charset=utf-8").send(Buffer.isBuffer(csv) ? csv : Buffer.from(csv));

/** A tenant with the demo tenant's settings, empty. */
async function emptyDemoLikeTenant() {
  const demo = await t.db("tenants").where({ slug: "demo" }).first();
  const tenant = await makeTenant(t.db, demo.settings, demo.time_zone);
  const hr = await issueTestToken(t.db, { tenantId: tenant.id, permissions: ["hr:write"], now: t.now() });
  const scim = await issueTestToken(t.db, { tenantId: tenant.id, permissions: ["future-employees:read"], now: t.now() });
  return { ...tenant, hr: hr.token, scim: scim.token };
}

/** The SCIM view of a tenant's users without ids (which differ between tenants). */
async function scimView(token: string) {
  const res = await t.request().get("/scim/v2/Users").query({ count: 1000 }).set(bearer(token));
  expect(res.status).toBe(200);
  return res.body.Resources.map((u: any) => {
    const { id: _id, meta, groups, [ENTERPRISE]: enterprise, ...rest } = u;
    const { manager, ...ent } = enterprise ?? {};
    return {
      ...rest, created: meta.created, lastModified: meta.lastModified, [ENTERPRISE]: { ...ent, manager: manager?.displayName },
      groups: (groups ?? []).map((g: any) => g.display).sort(),
    };
  }).sort((a: any, b: any) => a.userName.localeCompare(b.userName));
}

const HEADER = "employeeNumber,login,firstName,lastName,departmentKey,department,contractStart,contractEnd";

describe("POST /hr/v1/imports", () => {
  it("imports the demo organisation into an empty tenant: the SCIM view is the seeded one", async () => {
    const x = await emptyDemoLikeTenant();
    const res = await postCsv(x.hr, demoOrganisationCsv(TEST_TODAY));
    expect(res.status, res.text).toBe(200);
    const demoEmployees = Number((await t.db("employees").join("tenants", "tenants.id", "employees.tenant_id").where("tenants.slug", "demo").count("* as n"))[0].n);
    expect(res.body).toMatchObject({ created: demoEmployees, updated: 0, unchanged: 0, removed: 0, errors: [] });
    const demoToken = await t.tokenFor("demo", ["future-employees:read"]);
    expect(await scimView(x.scim)).toEqual(await scimView(demoToken));
    // A second import of the same file changes nothing.
    const before = await hrSnapshot(t, x.id);
    const again = await postCsv(x.hr, demoOrganisationCsv(TEST_TODAY));
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: demoEmployees });
    expect(await hrSnapshot(t, x.id)).toEqual(before);
  });

  it("refuses a file with one bad row, naming line and column, and changes nothing", async () => {
    const x = await hrTenant(t);
    const before = await hrSnapshot(t, x.id);
    const csv = [HEADER, "E1,ada,Ada,Lovelace,ENG,Engineering,2020-01-01,", "E2,bob,Bob,Builder,ENG,Engineering,2020-13-01,", "E3,cy,Cy,Press,ENG,Engineering,2020-01-01,"].join("\n");
    const res = await postCsv(x.hr, csv);
    expect(res.status).toBe(422);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual([expect.objectContaining({ line: 3, column: "contractStart", message: expect.any(String) })]);
    expect(await hrSnapshot(t, x.id)).toEqual(before);
  });

  it("refuses unknown references, overlapping contracts and unknown columns with their lines", async () => {
    const x = await hrTenant(t);
    const cases: [string, { line: number; column: string }][] = [
      [[HEADER, "E1,ada,Ada,Lovelace,NOPE,,2020-01-01,"].join("\n"), { line: 2, column: "department" }],
      [[HEADER, "E1,ada,Ada,Lovelace,,,2020-01-01,2020-12-31", "E1,ada,Ada,Lovelace,,,2020-06-01,"].join("\n"), { line: 3, column: "contractStart" }],
      [[`${HEADER},shoeSize`, "E1,ada,Ada,Lovelace,,,2020-01-01,,42"].join("\n"), { line: 1, column: "shoeSize" }],
      [[HEADER, "E1,ada,Ada,Lovelace,,,2020-01-01,", "E1,ada,Ada,King,,,2021-01-01,"].join("\n"), { line: 3, column: "lastName" }],
    ];
    for (const [csv, where] of cases) {
      const res = await postCsv(x.hr, csv);
      expect(res.status, csv).toBe(422);
      expect(res.body.errors[0], csv).toMatchObject(where);
    }
    expect(await t.db("employees").where({ tenant_id: x.id })).toEqual([]);
  });

  it("dry-run reports what would happen and changes nothing", async () => {
    const x = await hrTenant(t);
    const before = await hrSnapshot(t, x.id);
    const res = await postCsv(x.hr, [HEADER, "E1,ada,Ada,Lovelace,ENG,Engineering,2020-01-01,"].join("\n"), "?dryRun=true");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 1, dryRun: true, errors: [] });
    expect(await hrSnapshot(t, x.id)).toEqual(before);
  });

  it("imports semicolon files with a BOM and quoted fields", async () => {
    const x = await hrTenant(t);
    const csv = `\uFEFF${HEADER.replace(/,/g, ";")}\r\nE1;ada;"Ada; Countess";"Love""lace";ENG;"R&D; Engineering";2020-01-01;\r\n`;
    const res = await postCsv(x.hr, csv);
    expect(res.status, res.text).toBe(200);
    const row = await t.db("employees").where({ tenant_id: x.id, employee_number: "E1" }).first();
    expect([row.first_name, row.last_name]).toEqual(["Ada; Countess", "Love\"lace"]);
    expect((await t.db("departments").where({ tenant_id: x.id, key: "ENG" }).first()).name).toBe("R&D; Engineering");
  });

  it("with snapshot lists the absent employees, and with removeAbsent ends their open contracts today", async () => {
    const x = await hrTenant(t);
    await postCsv(x.hr, [HEADER, "E1,ada,Ada,Lovelace,,,2020-01-01,", "E2,bob,Bob,Builder,,,2020-01-01,"].join("\n"));
    const only = [HEADER, "E1,ada,Ada,Lovelace,,,2020-01-01,"].join("\n");
    const listed = await postCsv(x.hr, only, "?snapshot=true");
    expect(listed.body).toMatchObject({ unchanged: 1, removed: 0, absent: ["E2"] });
    const removed = await postCsv(x.hr, only, "?snapshot=true&removeAbsent=true");
    expect(removed.body).toMatchObject({ removed: 1, absent: ["E2"] });
    const contract = await t.db("contracts as c").join("employees as e", "e.id", "c.employee_id").where({ "e.tenant_id": x.id, "e.employee_number": "E2" }).first("c.end_date");
    expect(contract.end_date).not.toBeNull();
    expect((await postCsv(x.hr, only, "?removeAbsent=true")).status).toBe(400);
  });

  it("is refused to SCIM tokens and for other content types", async () => {
    const x = await hrTenant(t);
    expect((await postCsv(x.scim, HEADER)).status).toBe(403);
    const json = await t.request().post("/hr/v1/imports").set(bearer(x.hr)).send({ a: 1 });
    expect(json.status).toBe(415);
    expect(json.headers["content-type"]).toMatch(/application\/problem\+json/);
  });
});

describe("hr CLI", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hr-scim-hr-cli-"));
  const env: NodeJS.ProcessEnv = process.env.DATABASE_URL
    ? { DATABASE_URL: process.env.DATABASE_URL, HR_SCIM_SECRET_KEY: Buffer.alloc(32, 9).toString("base64") }
    : { HR_SCIM_DATA_DIR: path.join(dir, "store") };
  const slug = `cli-hr-${Date.now().toString(36)}`;
  const cli = async (argv: string[]) => {
    let stdout = "", stderr = "";
    const status = await runCli(argv, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, env });
    return { status, stdout, stderr };
  };
  const file = (name: string, text: string) => { const p = path.join(dir, name); fs.writeFileSync(p, text); return p; };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("imports, refuses a bad row naming line and column, dry-runs, lists changes and erases a former employee", async () => {
    expect((await cli(["tenant", "create", slug, "--name", "CLI HR"])).status).toBe(0);
    const issued = await cli(["token", "issue", "--tenant", slug, "--name", "hr", "--permission", "hr:write", "--json"]);
    expect(JSON.parse(issued.stdout)).toMatchObject({ permissions: ["hr:write"] });
    const mixed = await cli(["token", "issue", "--tenant", slug, "--name", "mixed", "--permission", "hr:write", "--permission", "users:write"]);
    expect(mixed.status).toBe(1);
    expect(mixed.stderr).toMatch(/hr:write goes alone/);
    const toggled = await cli(["token", "permission", JSON.parse(issued.stdout).id, "users:write", "on"]);
    expect(toggled.status).toBe(1);
    const good = file("good.csv", [HEADER, "E1,ada,Ada,Lovelace,ENG,Engineering,2020-01-01,", "E2,bob,Bob,Builder,ENG,Engineering,2019-01-01,2020-12-31"].join("\n"));
    const imported = await cli(["hr", "import", "--tenant", slug, "--file", good, "--json"]);
    expect(imported.status, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ created: 2, updated: 0, unchanged: 0, removed: 0, errors: [] });

    const bad = file("bad.csv", [HEADER, "E1,ada,Ada,Lovelace,ENG,Engineering,2020-01-01,", "E3,cy,Cy,Press,ENG,Engineering,someday,"].join("\n"));
    const refused = await cli(["hr", "import", "--tenant", slug, "--file", bad]);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain("line 3, column contractStart");

    const dry = await cli(["hr", "import", "--tenant", slug, "--file", file("dry.csv", [HEADER, "E9,zed,Zed,Z,,,2020-01-01,"].join("\n")), "--dry-run", "--json"]);
    expect(JSON.parse(dry.stdout)).toMatchObject({ created: 1, dryRun: true });

    const changes = await cli(["hr", "changes", "--tenant", slug, "--json"]);
    const items = JSON.parse(changes.stdout);
    expect(items.map((c: any) => [c.entity, c.key, c.operation])).toEqual([["department", "ENG", "created"], ["employee", "E1", "created"], ["employee", "E2", "created"]]);
    expect(items[1].actor).toMatch(/^cli:/);

    expect((await cli(["hr", "erase", "--tenant", slug, "--employee", "E1"])).status).toBe(1); // still employed
    const erased = await cli(["hr", "erase", "--tenant", slug, "--employee", "E2"]);
    expect(erased.status, erased.stderr).toBe(0);
    const after = JSON.parse((await cli(["hr", "changes", "--tenant", slug, "--json"])).stdout);
    expect(after.filter((c: any) => c.key === "E2").map((c: any) => [c.operation, c.fields])).toEqual([["created", {}], ["erased", {}]]);
    expect(JSON.stringify(after)).not.toContain("Builder");
    const database = await openDatabase(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.HR_SCIM_DATA_DIR });
    try {
      const row = await database.knex("employees as e").join("tenants as t", "t.id", "e.tenant_id").where({ "t.slug": slug, "e.employee_number": "E2" }).first("e.first_name", "e.last_name", "e.login");
      expect(JSON.stringify(row)).not.toMatch(/bob|Builder/i);
    } finally { await database.close(); }
  });
});
