// The change feed never lets a reader miss a change (issue 11): sequence numbers are taken before
// commit, so a transaction could commit a number below one a reader has already passed. Each tenant's
// counter row is held from a transaction's first change until it commits, so a second writer of the
// same tenant (the HR write path or plain SQL) waits and takes the next number after the first
// commits. Another tenant's writers do not wait: one tenant's long import never holds back another.
import { describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { readChanges } from "../../src/hr/changes.js";
import { beginHrWrite } from "../../src/hr/write/session.js";
import { makeTenant } from "../support/build-test-app.js";
import { useTestDatabase } from "../support/test-database.js";
import { backendPid, blockedBy, eventually } from "./fault-app.js";

let db: Knex;
useTestDatabase((database) => { db = database.knex; });

const keysOf = (page: { items: { key: string }[] }) => page.items.map((i) => i.key);

describe("change feed order across concurrent transactions", () => {
  it("a late-committing writer cannot land behind a cursor already served; another tenant is not held back", async () => {
    const a = await makeTenant(db);
    const b = await makeTenant(db);
    const first = await db.transaction();
    let second: Knex.Transaction | null = null;
    try {
      await beginHrWrite(first, { tenantId: a.id, actor: "test:first", now: new Date() });
      await first("departments").insert({ tenant_id: a.id, key: "D1", name: "First" });

      // A second writer of the same tenant, by plain SQL: its trigger waits for the counter.
      second = await db.transaction();
      const firstPid = await backendPid(first);
      const secondWrite = second("departments").insert({ tenant_id: a.id, key: "D2", name: "Second" }).then(() => "written");
      expect(await eventually(async () => (await blockedBy(db, firstPid)) === 1, 5_000)).toBe(true);

      // Nothing of either is served while both are in flight.
      expect(keysOf(await readChanges(db, a.id, { after: "0", limit: 100 }))).toEqual([]);

      // Tenant B writes and commits meanwhile, and its feed shows it at once.
      await db.transaction(async (trx) => {
        await beginHrWrite(trx, { tenantId: b.id, actor: "test:b", now: new Date() });
        await trx("departments").insert({ tenant_id: b.id, key: "B1", name: "Other tenant" });
      });
      expect(keysOf(await readChanges(db, b.id, { after: "0", limit: 100 }))).toEqual(["B1"]);

      await first.commit();
      const afterFirst = await readChanges(db, a.id, { after: "0", limit: 100 });
      expect(keysOf(afterFirst)).toEqual(["D1"]);

      expect(await secondWrite).toBe("written");
      await second.commit();
      second = null;
      // The reader follows its cursor and finds the second change after it: nothing was missed.
      const afterSecond = await readChanges(db, a.id, { after: afterFirst.nextCursor, limit: 100 });
      expect(keysOf(afterSecond)).toEqual(["D2"]);
      expect(BigInt(afterSecond.items[0].seq)).toBeGreaterThan(BigInt(afterFirst.items[0].seq));
      expect(afterSecond.items[0].actor).toMatch(/^sql:/);
    } finally {
      if (!first.isCompleted()) await first.rollback();
      if (second && !second.isCompleted()) await second.rollback();
    }
  });

  it("a writer that rolls back leaves no gap a reader could skip past", async () => {
    const a = await makeTenant(db);
    const aborted = await db.transaction();
    await beginHrWrite(aborted, { tenantId: a.id, actor: "test", now: new Date() });
    await aborted("departments").insert({ tenant_id: a.id, key: "GONE", name: "Rolled back" });
    await aborted.rollback();
    await db("departments").insert({ tenant_id: a.id, key: "KEPT", name: "Kept" });
    const page = await readChanges(db, a.id, { after: "0", limit: 100 });
    expect(page.items.map((i) => [i.key, i.seq])).toEqual([["KEPT", "1"]]);
  });
});
