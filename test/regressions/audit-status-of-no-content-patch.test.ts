// Regression: a PATCH answered 204 without a body (Prefer: return=minimal, or an empty
// attributes=) recorded 200 in its integration-log row. The row now records the status the client
// was sent.
import crypto from "node:crypto";
import { beforeAll, expect, it } from "vitest";
import { useTestApp } from "../support/use-test-app.js";
import { ops, patch, writeTenant, type WriteTenant } from "../api/write-back-fixture.js";

const t = useTestApp();
let w: WriteTenant;
beforeAll(async () => { w = await writeTenant(t); });

it("records 204 for a PATCH answered without content", async () => {
  const id = await w.addEmployee();
  const minimal = `audit-${crypto.randomUUID()}`;
  const emptyAttributes = `audit-${crypto.randomUUID()}`;
  const first = await patch(t, w.writer, id, ops({ op: "replace", path: "title", value: "One" }), { "X-Request-Id": minimal, Prefer: "return=minimal" });
  const second = await patch(t, w.writer, `${id}?attributes=`, ops({ op: "replace", path: "title", value: "Two" }), { "X-Request-Id": emptyAttributes });
  expect([first.status, second.status]).toEqual([204, 204]);
  await t.integrationLog.flush();
  for (const requestId of [minimal, emptyAttributes]) {
    const rows = await t.db("integration_log").where({ tenant_id: w.id, request_id: requestId });
    expect(rows.map((r) => r.status)).toEqual([204]);
  }
});
