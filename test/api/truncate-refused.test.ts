// TRUNCATE on the HR tables and the trace tables is refused (migration 20261205_001): it would
// bypass the change feed and the stored state, for every tenant; so is TRUNCATE of the stored group
// member counts (20261206_001), which would leave every group counting none. Nothing is emptied.
import { expect, it } from "vitest";
import { useTestApp } from "../support/use-test-app.js";

const t = useTestApp();

it("refuses TRUNCATE of each HR and trace table, and empties none of them", async () => {
  for (const table of ["employees", "contracts", "departments", "establishments", "legal_units", "hr_changes", "integration_log", "admin_audit", "group_member_counts"]) {
    const before = Number((await t.db(table).count({ n: "*" }))[0].n);
    await expect(t.db.raw(`truncate ${table} cascade`), table).rejects.toMatchObject({ code: "0A000" });
    expect(Number((await t.db(table).count({ n: "*" }))[0].n), table).toBe(before);
  }
  expect(Number((await t.db("employees").count({ n: "*" }))[0].n)).toBeGreaterThan(0);
  expect(Number((await t.db("group_member_counts").count({ n: "*" }))[0].n)).toBeGreaterThan(0);
});
