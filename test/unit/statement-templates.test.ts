// Statements compiled once per shape: filled with a request's values, a template is the statement
// the query builder gives for those values.
import knex from "knex";
import { describe, expect, it } from "vitest";
import { StatementTemplates } from "../../src/db/statement-templates.js";
import { localDate } from "../../src/hr/lifecycle.js";

const db = knex({ client: "pg" });
const byLogin = (values: readonly unknown[]) =>
  db("employees").where({ tenant_id: 7 }).whereRaw("lower(login) = lower(?) or external_id = ?", [values[0] as string, values[1] as string]).select("id").limit(1);

describe("statement templates", () => {
  it("give for each set of values the statement the builder gives for them", () => {
    const templates = new StatementTemplates();
    for (const values of [["ada", "E1"], ["bob", "E2"], ["ada", "ada"], ["x?y", ""]]) {
      const expected = byLogin(values).toSQL();
      expect(templates.compile("by login", values, byLogin)).toEqual({ sql: expected.sql, bindings: expected.bindings });
    }
  });

  it("build afresh when a value is not plain (an array changes the SQL text)", () => {
    const templates = new StatementTemplates();
    const inList = (values: readonly unknown[]) => db("employees").whereRaw("id in (?)", [values[0] as never]);
    expect(templates.compile("in", [[1, 2, 3]], inList).sql).toBe(inList([[1, 2, 3]]).toSQL().sql);
    expect(templates.compile("in", [[1]], inList).sql).toBe(inList([[1]]).toSQL().sql);
  });

  it("build afresh when a value ends up in the SQL text instead of a binding", () => {
    const templates = new StatementTemplates();
    const inlined = (values: readonly unknown[]) => db("employees").whereRaw(`login = '${values[0]}'`);
    expect(templates.compile("inlined", ["ada"], inlined).sql).toContain("'ada'");
    expect(templates.compile("inlined", ["bob"], inlined).sql).toContain("'bob'");
  });
});

describe("localDate, remembered per zone for the day", () => {
  it("gives each instant its local date around midnight, DST changes included", () => {
    const zones = ["Europe/Paris", "America/Santiago", "Asia/Tokyo", "Pacific/Apia", "America/Havana"];
    const start = Date.UTC(2026, 2, 1);
    for (const zone of zones) {
      for (let t = start; t < start + 45 * 86_400_000; t += 1_799_000) {
        const at = new Date(t);
        const expected = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
        expect(localDate(at, zone), `${zone} ${at.toISOString()}`).toBe(expected);
      }
    }
  });
});
