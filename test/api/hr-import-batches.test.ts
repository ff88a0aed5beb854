// The CSV import holds a batch of rows, never the file (issue 11): with a batch of 50 rows, a file
// of 1,000 rows is staged while it is still being read, no more than 50 rows are ever held at once,
// and the result is the whole file's: employees with several contracts, managers listed after
// their reports (and written in an earlier batch), a disagreement between rows 980 lines apart
// found by the checks across rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCsv } from "../../src/hr/import/csv-import.js";
import { buildTestApp, makeTenant, type TestApp } from "../support/build-test-app.js";

let t: TestApp;
beforeAll(async () => { t = await buildTestApp(); });
afterAll(() => t.close());

const HEADER = "employeeNumber,login,firstName,lastName,departmentKey,department,managerEmployeeNumber,contractStart,contractEnd";
const EMPLOYEES = 500;
const BATCH = 50;

/** Employee i (1..500) has two contracts, on rows far apart; i's manager is i+1 (500 has none), so reports come first. */
function rows(): string[] {
  const row = (i: number, start: string, end: string) =>
    `N${i},login${i},First${i},Last${i},D${i % 7},Department ${i % 7},${i < EMPLOYEES ? `N${i + 1}` : ""},${start},${end}`;
  const out: string[] = [];
  for (let i = 1; i <= EMPLOYEES; i++) out.push(row(i, "2019-01-01", "2019-12-31"));
  for (let i = 1; i <= EMPLOYEES; i++) out.push(row(i, "2020-01-01", ""));
  return out;
}

/** The file in chunks of 10 lines, noting how many batches the import had taken when the last chunk was read. */
function source(lines: string[], seen: { batches: number; atEnd?: number }): AsyncIterable<string> {
  return (async function* () {
    yield `${HEADER}\n`;
    for (let i = 0; i < lines.length; i += 10) {
      if (i + 10 >= lines.length) seen.atEnd = seen.batches;
      yield `${lines.slice(i, i + 10).join("\n")}\n`;
    }
  })();
}

describe("CSV import memory", () => {
  it("holds at most one batch of rows while it stages, checks and writes a larger file", async () => {
    const tenant = await makeTenant(t.db);
    const seen = { batches: 0, most: 0, atEnd: undefined as number | undefined };
    const report = await importCsv(t.db, source(rows(), seen), {
      tenant, actor: "test", now: t.now(), batchSize: BATCH,
      onRowsHeld: (n) => { seen.batches++; seen.most = Math.max(seen.most, n); },
    });
    expect(report).toMatchObject({ created: EMPLOYEES, updated: 0, unchanged: 0, errors: [] });
    expect(seen.most).toBeLessThanOrEqual(BATCH);
    // Streamed: most of the 20 batches were staged before the file's last chunk was read (the
    // parser's stream buffers read a few chunks ahead: 16 on PGlite and PostgreSQL).
    expect(seen.atEnd).toBeGreaterThanOrEqual(EMPLOYEES / BATCH);
    // 20 batches staged, 20 written (two rows per employee), and the last report of 0 rows held.
    expect(seen.batches).toBeGreaterThanOrEqual(40);

    const chain = await t.db("employees as e").leftJoin("employees as m", "m.id", "e.manager_id")
      .where("e.tenant_id", tenant.id).whereIn("e.employee_number", ["N1", "N250", "N500"]).orderBy("e.employee_number").select("e.employee_number", "m.employee_number as manager");
    expect(chain).toEqual([{ employee_number: "N1", manager: "N2" }, { employee_number: "N250", manager: "N251" }, { employee_number: "N500", manager: null }]);
    const contracts = await t.db("contracts").where("tenant_id", tenant.id).count("* as n");
    expect(Number(contracts[0].n)).toBe(2 * EMPLOYEES);
  });

  it("finds an employee's rows that disagree across batches, and changes nothing", async () => {
    const tenant = await makeTenant(t.db);
    const lines = rows();
    lines[EMPLOYEES + 9] = lines[EMPLOYEES + 9].replace("Last10", "Other10"); // line 511, the second row of N10 (line 11)
    let most = 0;
    const report = await importCsv(t.db, source(lines, { batches: 0 }), {
      tenant, actor: "test", now: t.now(), batchSize: BATCH, onRowsHeld: (n) => { most = Math.max(most, n); },
    });
    expect(report.errors).toEqual([{ line: 511, column: "lastName", message: expect.stringContaining("differs from line 11 of the same employee (\"Last10\")") }]);
    expect(most).toBeLessThanOrEqual(BATCH);
    expect(await t.db("employees").where("tenant_id", tenant.id)).toEqual([]);
  });

  it("rejects with the source's error when the file fails while streaming (a body over its limit), and changes nothing", async () => {
    const tenant = await makeTenant(t.db);
    const lines = rows();
    const failing = (async function* () {
      yield `${HEADER}\n`;
      for (let i = 0; i < 300; i += 10) yield `${lines.slice(i, i + 10).join("\n")}\n`;
      throw new Error("body over its limit");
    })();
    await expect(importCsv(t.db, failing, { tenant, actor: "test", now: t.now(), batchSize: BATCH })).rejects.toThrow("body over its limit");
    expect(await t.db("employees").where("tenant_id", tenant.id)).toEqual([]);
  });

  it("lets employees exchange logins across batches, recording each change once", async () => {
    const tenant = await makeTenant(t.db);
    await importCsv(t.db, source(rows(), { batches: 0 }), { tenant, actor: "test", now: t.now(), batchSize: BATCH });
    const before = await t.db("employees").where("tenant_id", tenant.id).whereIn("employee_number", ["N1", "N2", "N500"]).orderBy("employee_number").select("employee_number", "login", "version");
    // N1 (first batch) takes N500's login (last batch), N500 takes N2's, N2 takes N1's: a chain across batches.
    const moved: Record<string, string> = { N1: "login500", N500: "login2", N2: "login1" };
    const lines = rows().map((line) => {
      const number = line.slice(0, line.indexOf(","));
      return moved[number] ? line.replace(/^([^,]+),[^,]+,/, `$1,${moved[number]},`) : line;
    });
    const feedBefore = Number((await t.db("hr_change_counters").where({ tenant_id: tenant.id }).first())?.last_seq ?? 0);
    const report = await importCsv(t.db, source(lines, { batches: 0 }), { tenant, actor: "test", now: t.now(), batchSize: BATCH });
    expect(report).toMatchObject({ updated: 3, unchanged: EMPLOYEES - 3, errors: [] });
    const after = await t.db("employees").where("tenant_id", tenant.id).whereIn("employee_number", ["N1", "N2", "N500"]).orderBy("employee_number").select("employee_number", "login", "version");
    expect(after.map((e) => [e.employee_number, e.login])).toEqual([["N1", "login500"], ["N2", "login1"], ["N500", "login2"]]);
    after.forEach((e, i) => expect(e.version).toBe(before[i].version + 1));
    const changes = await t.db("hr_changes").where({ tenant_id: tenant.id }).where("seq", ">", feedBefore).orderBy("key").select("key", "operation", "fields");
    expect(changes.map((c) => [c.key, c.operation, c.fields.login])).toEqual([
      ["N1", "updated", { before: "login1", after: "login500" }],
      ["N2", "updated", { before: "login2", after: "login1" }],
      ["N500", "updated", { before: "login500", after: "login2" }],
    ]);
  });

  it("analyzes the HR tables after an applied import of many employees, not after a small one or a dry run", async () => {
    const analyzed: string[] = [];
    const onQuery = (q: { sql: string }) => { const m = /^analyze (employees|contracts)$/i.exec(q.sql.trim()); if (m) analyzed.push(m[1]); };
    t.db.on("query", onQuery);
    try {
      const run = async (dryRun: boolean, lines: string[]) => importCsv(t.db, source(lines, { batches: 0 }), {
        tenant: await makeTenant(t.db), actor: "test", now: t.now(), batchSize: BATCH, dryRun, analyzeAfterRows: EMPLOYEES,
      });
      expect((await run(true, rows())).created).toBe(EMPLOYEES);
      expect((await run(false, [1, 2, 3].map((i) => `N${i},login${i},First${i},Last${i},D1,Department 1,,2020-01-01,`))).created).toBe(3);
      expect(analyzed).toEqual([]);
      expect((await run(false, rows())).created).toBe(EMPLOYEES);
      expect(analyzed).toEqual(["employees", "contracts"]);
    } finally {
      t.db.off("query", onQuery);
    }
  });

  it("reports the checks across rows with their lines and columns", async () => {
    const tenant = await makeTenant(t.db);
    const header = "employeeNumber,login,firstName,lastName,departmentKey,department,establishmentKey,establishment,legalUnitKey,legalUnit,countryCode,managerEmployeeNumber,contractStart,contractEnd";
    const cases: [string[], { line: number; column: string; message: RegExp }[]][] = [
      [["A,a,A,A,,,,,,,,B,2020-01-01,", "B,b,B,B,,,,,,,,C,2020-01-01,", "C,c,C,C,,,,,,,,A,2020-01-01,"], [
        { line: 2, column: "managerEmployeeNumber", message: /leads back to this employee/ },
        { line: 3, column: "managerEmployeeNumber", message: /leads back to this employee/ },
        { line: 4, column: "managerEmployeeNumber", message: /leads back to this employee/ },
      ]],
      [["A,a,A,A,,,,,,,,ZZ,2020-01-01,"], [{ line: 2, column: "managerEmployeeNumber", message: /no employee has the number "ZZ"/ }]],
      [["A,same,A,A,,,,,,,,,2020-01-01,", "B,SAME,B,B,,,,,,,,,2020-01-01,"], [{ line: 3, column: "login", message: /given to two employees \(also to A, line 2\)/ }]],
      [["A,a,A,A,ENG,Engineering,,,,,,,2020-01-01,", "B,b,B,B,ENG,R&D,,,,,,,2020-01-01,"], [{ line: 3, column: "department", message: /differs from line 2 for the same departmentKey \("Engineering"\)/ }]],
      [["A,a,A,A,,,PAR,Paris,NOPE,,,,2020-01-01,"], [{ line: 2, column: "legalUnit", message: /legal unit "NOPE" does not exist: give its legalUnit name and countryCode/ }]],
      [["A,a,A,A,,,,,,,,,2020-01-01,", "A,a,A,A,,,,,,,,,2019-01-01,2020-06-30"], [{ line: 2, column: "contractStart", message: /overlaps the contract 2019-01-01..2020-06-30/ }]],
      // A character PostgreSQL refuses is the row's error, not a failed statement.
      [["A,a,A,A,,,,,,,,,2020-01-01,", "B,b,B\u0000x,B,,,,,,,,,2020-01-01,"], [{ line: 3, column: "firstName", message: /cannot be stored/ }]],
    ];
    for (const [lines, expected] of cases) {
      const report = await importCsv(t.db, (async function* () { yield `${header}\n${lines.join("\n")}\n`; })(), { tenant, actor: "test", now: t.now(), batchSize: BATCH });
      expect(report.errors, lines.join(" | ")).toEqual(expected.map((e) => ({ ...e, message: expect.stringMatching(e.message) })));
    }
    expect(await t.db("employees").where("tenant_id", tenant.id)).toEqual([]);
  });
});
