// Regression: write-back's checks for new values also ran on values put back unchanged. Okta's PUT
// echoes everything it read, so an employee whose HR data those checks would refuse (a control
// character in the title, a free-text preferred language, spaces around the login) could not be
// written back at all: every round trip was 400. A value put back unchanged is now kept as HR's own;
// only what the client changes is checked.
import { beforeAll, expect, it } from "vitest";
import { useTestApp } from "../support/use-test-app.js";
import { DOMAIN, getUser, put, writeTenant, type WriteTenant } from "../api/write-back-fixture.js";

const t = useTestApp();
let w: WriteTenant;
beforeAll(async () => { w = await writeTenant(t); });

it("accepts Okta's round trip of HR data the checks would refuse as new values, and applies the change", async () => {
  const id = await w.addEmployee({ login: " spaced.login ", workEmail: `spaced@${DOMAIN}`, title: "Staff\u000bEngineer", firstName: "Odd" });
  await t.db("employees").where({ tenant_id: w.id, id: Number(id) }).update({ preferred_language: "French" });
  const read = await getUser(t, w.reader, id);
  expect(read).toMatchObject({ userName: " spaced.login ", title: "Staff\u000bEngineer", preferredLanguage: "French" });

  const res = await put(t, w.writer, id, { ...read, name: { ...read.name, givenName: "Even" } });
  expect(res.status, res.text).toBe(200);
  expect(res.body).toMatchObject({ userName: " spaced.login ", title: "Staff\u000bEngineer", preferredLanguage: "French", name: { givenName: "Even" } });
});
