// Regression: write-back erased or misplaced HR data through typed lists. A home (or other typed)
// address was taken for the work email, in PATCH and PUT; a PUT carrying the mobile number alone
// erased the work number; a list of only types hr-scim does not store (fax) cleared both numbers.
// Now only a work (or untyped) address is ever taken for the work email, a home address alone or
// two work addresses are 400 invalidValue, a PUT writes the phone types it carries and keeps the
// other, and a list of only unsupported phone types is 400 invalidValue. A refusal changes nothing.
import { beforeAll, expect, it } from "vitest";
import { useTestApp } from "../support/use-test-app.js";
import { DOMAIN, getUser, ops, patch, put, writeTenant, type WriteTenant } from "../api/write-back-fixture.js";

const t = useTestApp();
let w: WriteTenant;
beforeAll(async () => { w = await writeTenant(t); });

it("never takes a home address for the work email, in PATCH and PUT, even one in an allowed domain", async () => {
  const id = await w.addEmployee();
  const before = await getUser(t, w.reader, id);
  const home = [{ value: `at.home@${DOMAIN}`, type: "home" }];
  const patched = await patch(t, w.writer, id, ops({ op: "add", path: "emails", value: home }));
  expect(patched.status).toBe(400);
  expect(patched.body.scimType).toBe("invalidValue");
  const putBack = await put(t, w.writer, id, { ...before, emails: home });
  expect(putBack.status).toBe(400);
  expect(putBack.body.scimType).toBe("invalidValue");
  expect(await getUser(t, w.reader, id)).toEqual(before);

  const beside = await put(t, w.writer, id, { ...before, emails: [{ ...home[0], primary: true }, { value: `at.work@${DOMAIN}`, type: "work" }] });
  expect(beside.status).toBe(200);
  expect(beside.body.emails).toEqual([{ value: `at.work@${DOMAIN}`, type: "work", primary: true }]);
});

it("refuses two work addresses", async () => {
  const id = await w.addEmployee();
  const before = await getUser(t, w.reader, id);
  const two = [{ value: `one@${DOMAIN}`, type: "work" }, { value: `two@${DOMAIN}`, type: "Work" }];
  expect((await patch(t, w.writer, id, ops({ op: "replace", path: "emails", value: two }))).status).toBe(400);
  expect((await put(t, w.writer, id, { ...before, emails: two })).status).toBe(400);
  expect(await getUser(t, w.reader, id)).toEqual(before);
});

it("keeps the work number when a PUT carries the mobile number alone, and refuses a list of only unsupported types", async () => {
  const id = await w.addEmployee({ workPhone: "+33 1 11 11 11 11", mobilePhone: "+33 6 11 11 11 11" });
  const before = await getUser(t, w.reader, id);
  const mobileOnly = await put(t, w.writer, id, { ...before, phoneNumbers: [{ value: "+33 6 22 22 22 22", type: "mobile" }] });
  expect(mobileOnly.status).toBe(200);
  expect(mobileOnly.body.phoneNumbers.map((p: any) => [p.type, p.value])).toEqual([["work", "+33 1 11 11 11 11"], ["mobile", "+33 6 22 22 22 22"]]);

  const fax = await put(t, w.writer, id, { ...mobileOnly.body, phoneNumbers: [{ value: "+1 555 0100", type: "fax" }] });
  expect(fax.status).toBe(400);
  expect(fax.body.scimType).toBe("invalidValue");
  expect((await getUser(t, w.reader, id)).phoneNumbers).toEqual(mobileOnly.body.phoneNumbers);
});
