// Regression: userName and the work email were checked for uniqueness as sent, spaces included, so
// " taken.name " passed the check although another employee has "taken.name". Both are now trimmed
// before the check (409 uniqueness) and stored trimmed.
import { beforeAll, expect, it } from "vitest";
import { useTestApp } from "../support/use-test-app.js";
import { DOMAIN, getUser, ops, patch, put, writeTenant, type WriteTenant } from "../api/write-back-fixture.js";

const t = useTestApp();
let w: WriteTenant;
beforeAll(async () => { w = await writeTenant(t); });

it("refuses another employee's userName sent with spaces around it, and stores a free one trimmed", async () => {
  await w.addEmployee({ login: "taken.name" });
  const id = await w.addEmployee({ login: "free.name" });
  const before = await getUser(t, w.reader, id);
  for (const userName of [" taken.name ", "\ttaken.NAME"]) {
    const res = await patch(t, w.writer, id, ops({ op: "replace", path: "userName", value: userName }));
    expect(res.status, JSON.stringify(userName)).toBe(409);
    expect(res.body.scimType).toBe("uniqueness");
    expect((await put(t, w.writer, id, { ...before, userName })).status).toBe(409);
  }
  expect(await getUser(t, w.reader, id)).toEqual(before);
  const trimmed = await patch(t, w.writer, id, ops({ op: "replace", path: "userName", value: "  new.name " }));
  expect(trimmed.status).toBe(200);
  expect(trimmed.body.userName).toBe("new.name");
});

it("trims the work email before the check when it is the userName", async () => {
  const tenant = await writeTenant(t, { userNameSource: "workEmail" });
  await tenant.addEmployee({ login: "first", workEmail: `first@${DOMAIN}` });
  const id = await tenant.addEmployee({ login: "second", workEmail: `second@${DOMAIN}` });
  const res = await patch(t, tenant.writer, id, ops({ op: "replace", path: 'emails[type eq "work"].value', value: ` FIRST@${DOMAIN} ` }));
  expect(res.status).toBe(409);
  expect(res.body.scimType).toBe("uniqueness");
  const ok = await patch(t, tenant.writer, id, ops({ op: "replace", path: 'emails[type eq "work"].value', value: ` second.new@${DOMAIN} ` }));
  expect(ok.status).toBe(200);
  expect(ok.body.emails[0].value).toBe(`second.new@${DOMAIN}`);
});
