// Regression: the log line of an unexpected error carried the error's message, and a database
// error's message quotes the SQL and the client's values (HR personal data, in logs that must hold
// none). The line now keeps the error's name, code and stack frames only; the client still gets a
// 500 that names nothing but its request id.
import crypto from "node:crypto";
import { Writable } from "node:stream";
import { beforeAll, expect, it } from "vitest";
import { useTestApp } from "../support/use-test-app.js";
import { createLogger } from "../../src/logger.js";
import { ops, patch, writeTenant, type WriteTenant } from "../api/write-back-fixture.js";

const lines: string[] = [];
const capture = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...String(chunk).split("\n").filter(Boolean));
    done();
  },
});
const t = useTestApp({ logger: createLogger("info", { stream: capture }) });
let w: WriteTenant;
beforeAll(async () => { w = await writeTenant(t); });

it("logs a database error that quotes the client's value without its message", async () => {
  const id = await w.addEmployee();
  const secret = `Secret Title ${crypto.randomUUID().slice(0, 8)}`;
  // A failure the server cannot foresee: the database refuses the update, quoting the new value.
  const fn = `refuse_title_${w.id}`;
  await t.db.raw(`create function ${fn}() returns trigger language plpgsql as $$
    begin
      if new.tenant_id = ${w.id} then raise exception 'refused title %', new.job_title; end if;
      return new;
    end $$`);
  await t.db.raw(`create trigger ${fn} before update on employees for each row execute function ${fn}()`);
  const requestId = `log-${crypto.randomUUID()}`;
  try {
    const res = await patch(t, w.writer, id, ops({ op: "replace", path: "title", value: secret }), { "X-Request-Id": requestId });
    expect(res.status).toBe(500);
    expect(res.text).not.toContain(secret);
  } finally {
    await t.db.raw(`drop trigger ${fn} on employees`);
    await t.db.raw(`drop function ${fn}()`);
  }
  await new Promise((resolve) => setImmediate(resolve));
  const mine = lines.filter((l) => l.includes(requestId));
  expect(mine.map((l) => JSON.parse(l).message)).toContain("unhandled error");
  const text = mine.join("\n");
  expect(text).not.toContain(secret);
  expect(text).not.toMatch(/refused title|update "employees"|job_title/);
});
