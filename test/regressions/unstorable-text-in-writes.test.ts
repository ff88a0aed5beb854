// Regression: write-back passed client text straight to PostgreSQL: a NUL, an unpaired surrogate
// or a string of thousands of characters gave a 500 from the database or was stored, and a work
// email holding two addresses or a free-text preferredLanguage was accepted. Each is now 400
// invalidValue before anything is written, and nothing changes.
import { beforeAll, expect, it } from "vitest";
import { useTestApp } from "../support/use-test-app.js";
import { getUser, ops, patch, put, writeTenant, type WriteTenant } from "../api/write-back-fixture.js";

const t = useTestApp();
let w: WriteTenant;
beforeAll(async () => { w = await writeTenant(t); });

it("refuses text PostgreSQL cannot store or no HR field holds with 400 invalidValue, never a 500, and changes nothing", async () => {
  const id = await w.addEmployee();
  const before = await getUser(t, w.reader, id);
  const bodies = [
    ops({ op: "replace", path: "title", value: "a\u0000b" }),
    ops({ op: "replace", path: "userName", value: "x\u0000y" }),
    ops({ op: "replace", path: "title", value: "\ud800" }),
    ops({ op: "replace", path: "title", value: "x".repeat(5000) }),
    ops({ op: "replace", path: 'emails[type eq "work"].value', value: "x@evil.example@acme.example" }),
    ops({ op: "replace", path: "preferredLanguage", value: "not a lang!!" }),
  ];
  for (const body of bodies) {
    const res = await patch(t, w.writer, id, body);
    expect(res.status, JSON.stringify(body).slice(0, 120)).toBe(400);
    expect(res.body.scimType).toBe("invalidValue");
  }
  const viaPut = await put(t, w.writer, id, { ...before, externalId: "\u0000" });
  expect(viaPut.status).toBe(400);
  expect(await getUser(t, w.reader, id)).toEqual(before);
});
