// Write-back permissions, tenant isolation and the audit (docs/BEHAVIOUR.md sections 5 and 6): only
// users:write writes, another tenant cannot even detect a user, every accepted write stores one
// integration-log row with its diff in the same transaction, refused ones store no diff.
import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { bearer } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";
import { getUser, ops, patch, put, writeTenant, type WriteTenant } from "./write-back-fixture.js";

const t = useTestApp();
/** The tenant every test writes to unless it needs settings of its own. */
let w: WriteTenant;

beforeAll(async () => {
  w = await writeTenant(t);
});

const requestId = () => `wb-${crypto.randomUUID()}`;

async function logRows(id: string) {
  await t.integrationLog.flush();
  return t.db("integration_log").where({ tenant_id: w.id, request_id: id }).select("*");
}

function diffOf(row: { diff: unknown }): any {
  return typeof row.diff === "string" ? JSON.parse(row.diff) : row.diff;
}

describe("the users:write permission", () => {
  it("answers 403 to a token without users:write, for PATCH and PUT, and changes nothing", async () => {
    const id = await w.addEmployee();
    const before = await getUser(t, w.reader, id);
    const p = await patch(t, w.reader, id, ops({ op: "replace", path: "title", value: "x" }));
    expect(p.status).toBe(403);
    expect(p.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "403" });
    expect(p.body.detail).toContain("users:write");
    expect((await put(t, w.reader, id, { ...before, title: "x" })).status).toBe(403);
    expect(await getUser(t, w.reader, id)).toEqual(before);
  });

  it("checks the permission before anything else: 403 even for an unknown id or a malformed body", async () => {
    expect((await patch(t, w.reader, "999999", ops({ op: "replace", path: "title", value: "x" }))).status).toBe(403);
    expect((await patch(t, w.reader, "abc", { nonsense: true })).status).toBe(403);
  });

  it("lets a token with future-employees:read only still not write", async () => {
    const id = await w.addEmployee();
    const future = await w.token(["future-employees:read"]);
    expect((await patch(t, future.token, id, ops({ op: "replace", path: "title", value: "x" }))).status).toBe(403);
  });
});

describe("tenant isolation", () => {
  it("answers another tenant's token exactly as for an unknown id, and changes nothing", async () => {
    const id = await w.addEmployee({ title: "Mine" });
    const other = await writeTenant(t);
    const foreign = await patch(t, other.writer, id, ops({ op: "replace", path: "title", value: "Theirs" }));
    const unknown = await patch(t, other.writer, "2147483000", ops({ op: "replace", path: "title", value: "Theirs" }));
    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(foreign.body).toEqual({ ...unknown.body, detail: unknown.body.detail.replace("2147483000", id) });
    expect(Object.keys(foreign.headers).sort()).toEqual(Object.keys(unknown.headers).sort());
    const foreignPut = await put(t, other.writer, id, { title: "Theirs" }, { "If-Match": "*" });
    expect(foreignPut.status).toBe(404);
    // A stale If-Match must not reveal that the user exists either.
    const probe = await patch(t, other.writer, id, ops({ op: "replace", path: "title", value: "x" }), { "If-Match": 'W/"1-0"' });
    expect(probe.status).toBe(404);
    expect((await getUser(t, w.reader, id)).title).toBe("Mine");
  });

  it("answers the demo tenant's writer 404 for this tenant's user", async () => {
    const id = await w.addEmployee();
    const demoWriter = await t.token("demo", ["users:write"]);
    const res = await patch(t, demoWriter, id, ops({ op: "replace", path: "title", value: "x" }));
    expect(res.status).toBe(404);
    expect(res.body.detail).toBe(`User ${id} not found`);
  });
});

describe("the audit in the integration log", () => {
  it("stores one row per accepted write with the token, the request id, the time and the attribute-level diff", async () => {
    const id = await w.addEmployee({ login: "audit.one", title: "Old title", mobilePhone: null });
    const writer = await w.token(["users:write"]);
    const rid = requestId();
    const res = await patch(t, writer.token, `${id}?attributes=userName`, ops(
      { op: "replace", path: "title", value: "New title" },
      { op: "add", path: 'phoneNumbers[type eq "mobile"].value', value: "+33 6 77" },
    ), { "X-Request-Id": rid });
    expect(res.status).toBe(200);
    const rows = await logRows(rid);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({ token_id: writer.id, request_id: rid, method: "PATCH", path: `/scim/v2/Users/${id}`, status: 200, resource_id: id });
    expect(new Date(row.at).toISOString()).toBe(t.now().toISOString());
    expect(diffOf(row)).toEqual([
      { field: "mobilePhone", attribute: 'phoneNumbers[type eq "mobile"].value', before: null, after: "+33 6 77" },
      { field: "title", attribute: "title", before: "Old title", after: "New title" },
    ]);
    const minimal = requestId();
    const noContent = await patch(t, writer.token, id, ops({ op: "replace", path: "title", value: "Newer" }), { "X-Request-Id": minimal, Prefer: "return=minimal" });
    expect(noContent.status).toBe(204);
    expect((await logRows(minimal)).map((r: any) => r.status)).toEqual([204]);
  });

  it("stores the PUT diff of Okta's round trip: only the changed attribute", async () => {
    const id = await w.addEmployee({ firstName: "Paula" });
    const user = await getUser(t, w.reader, id);
    const rid = requestId();
    const res = await put(t, w.writer, id, { ...user, name: { ...user.name, givenName: "Pauline" }, active: false }, { "X-Request-Id": rid });
    expect(res.status).toBe(200);
    const rows = await logRows(rid);
    expect(rows).toHaveLength(1);
    expect(rows[0].method).toBe("PUT");
    expect(diffOf(rows[0])).toEqual([{ field: "givenName", attribute: "name.givenName", before: "Paula", after: "Pauline" }]);
  });

  it("records an accepted write that changes nothing with an empty diff", async () => {
    const id = await w.addEmployee();
    const rid = requestId();
    const res = await patch(t, w.writer, id, ops({ op: "replace", path: "displayName", value: "ignored" }), { "X-Request-Id": rid });
    expect(res.status).toBe(200);
    const rows = await logRows(rid);
    expect(rows).toHaveLength(1);
    expect(diffOf(rows[0])).toEqual([]);
  });

  it("stores no diff for refused writes, only the request row", async () => {
    const id = await w.addEmployee();
    const refused: [string, () => Promise<{ status: number }>, number][] = [];
    const add = (status: number, send: (rid: string) => Promise<{ status: number }>) => {
      const rid = requestId();
      refused.push([rid, () => send(rid), status]);
    };
    add(403, (rid) => patch(t, w.reader, id, ops({ op: "replace", path: "title", value: "x" }), { "X-Request-Id": rid }));
    add(400, (rid) => patch(t, w.writer, id, ops({ op: "replace", path: "active", value: false }), { "X-Request-Id": rid }));
    add(412, (rid) => patch(t, w.writer, id, ops({ op: "replace", path: "title", value: "x" }), { "X-Request-Id": rid, "If-Match": 'W/"0-0"' }));
    add(404, (rid) => patch(t, w.writer, "2147483000", ops({ op: "replace", path: "title", value: "x" }), { "X-Request-Id": rid }));
    add(400, (rid) => put(t, w.writer, id, { emails: [{ value: "x@outside.example", type: "work" }] }, { "X-Request-Id": rid }));
    for (const [rid, send, status] of refused) {
      expect((await send()).status).toBe(status);
      const rows = await logRows(rid);
      expect(rows, rid).toHaveLength(1);
      expect(rows[0].status).toBe(status);
      expect(rows[0].method).toMatch(/^(PATCH|PUT)$/);
      expect(rows[0].path).toMatch(/^\/scim\/v2\/Users\/\d+$/);
      expect(rows[0].diff).toBeNull();
    }
    const audits = await t.db("integration_log").where({ tenant_id: w.id, resource_id: id }).whereNotNull("diff");
    expect(audits).toHaveLength(0);
  });

  it("does not write when the audit row cannot be stored", async () => {
    const id = await w.addEmployee({ title: "Unaudited" });
    const before = await getUser(t, w.reader, id);
    const fn = `wb_refuse_audit_${w.id}`;
    await t.db.raw(`create function ${fn}() returns trigger language plpgsql as $$
      begin
        if new.tenant_id = ${w.id} and new.diff is not null then raise exception 'audit refused for the test'; end if;
        return new;
      end $$`);
    await t.db.raw(`create trigger ${fn} before insert on integration_log for each row execute function ${fn}()`);
    try {
      const res = await patch(t, w.writer, id, ops({ op: "replace", path: "title", value: "Changed" }));
      expect(res.status).toBe(500);
      expect(res.body.detail).not.toContain("audit refused");
    } finally {
      await t.db.raw(`drop trigger ${fn} on integration_log`);
      await t.db.raw(`drop function ${fn}()`);
    }
    expect(await getUser(t, w.reader, id)).toEqual(before);
  });
});
