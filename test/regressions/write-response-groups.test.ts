// Regression: PATCH and PUT answered the user without its read-only `groups`, unlike GET.
import { expect, it } from "vitest";
import { useTestApp } from "../support/use-test-app.js";
import { getUser, ops, patch, put, writeTenant } from "../api/write-back-fixture.js";

const t = useTestApp();

it("answers PATCH and PUT with the same groups as GET", async () => {
  const w = await writeTenant(t, { groupTypes: ["LUCCA_DEPT"] });
  const [department] = await t.db("departments").insert({ tenant_id: w.id, name: "Research" }).returning("id");
  const id = await w.addEmployee({ login: "grouped.user" });
  await t.db("employees").where({ tenant_id: w.id, id: Number(id) }).update({ department_id: department.id });
  const read = await getUser(t, w.reader, id);
  expect(read.groups).toEqual([expect.objectContaining({ value: `LUCCA_DEPT-${department.id}`, display: "LUCCA_DEPT Research", type: "direct" })]);

  const patched = await patch(t, w.writer, id, ops({ op: "replace", path: "title", value: "Researcher" }));
  expect(patched.status).toBe(200);
  expect(patched.body.groups).toEqual(read.groups);
  const { meta, ...body } = patched.body;
  const putBack = await put(t, w.writer, id, body);
  expect(putBack.status).toBe(200);
  expect(putBack.body.groups).toEqual(read.groups);
});
