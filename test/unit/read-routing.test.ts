// The read routing decision (src/db/read-routing.ts): a token's read goes to the replica only when
// the replica has replayed past its last write and past what its last read showed; else to the
// primary. ReadRouting over stand-in stores: which store each read reached, in order.
import type { Knex } from "knex";
import { describe, expect, it } from "vitest";
import { chooseReader, parseLsn, ReadRouting } from "../../src/db/read-routing.js";

describe("parseLsn", () => {
  it("reads PostgreSQL's X/Y positions in order, and nothing else", () => {
    expect(parseLsn("0/0")).toBe(0n);
    expect(parseLsn("16/B374D848")).toBe((0x16n << 32n) + 0xB374D848n);
    expect(parseLsn("1/0")! > parseLsn("0/FFFFFFFF")!).toBe(true);
    expect(parseLsn(null)).toBeNull();
    expect(parseLsn("16B374D848")).toBeNull();
    expect(parseLsn("0/1; select 1")).toBeNull();
  });
});

describe("chooseReader", () => {
  it("sends a token that must see nothing to the replica", () => {
    expect(chooseReader({ mustSee: [null, null], replicaReplayed: null })).toBe("replica");
  });
  it("sends a read to the replica once it has replayed up to the token's write", () => {
    expect(chooseReader({ mustSee: [100n, null], replicaReplayed: 99n })).toBe("primary");
    expect(chooseReader({ mustSee: [100n, null], replicaReplayed: 100n })).toBe("replica");
    expect(chooseReader({ mustSee: [100n, null], replicaReplayed: 150n })).toBe("replica");
  });
  it("holds the token to the latest of its write and its last read", () => {
    expect(chooseReader({ mustSee: [100n, 200n], replicaReplayed: 150n })).toBe("primary");
    expect(chooseReader({ mustSee: [300n, 200n], replicaReplayed: 250n })).toBe("primary");
    expect(chooseReader({ mustSee: [300n, 200n], replicaReplayed: 300n })).toBe("replica");
  });
  it("sends a token that must see something to the primary when the replica's position is unknown", () => {
    expect(chooseReader({ mustSee: [1n, null], replicaReplayed: null })).toBe("primary");
  });
});

/** A stand-in store answering the two position queries from a variable. */
function store(name: string, position: { lsn: string }, failReplay = false): Knex {
  return { name, raw: async (sql: string) => {
    if (failReplay && sql.includes("replay")) throw new Error("unreachable");
    return { rows: [{ lsn: position.lsn }] };
  } } as unknown as Knex;
}

describe("ReadRouting", () => {
  it("reads from the primary alone without a replica", async () => {
    const primary = store("primary", { lsn: "0/10" });
    const routing = new ReadRouting(primary);
    expect(await routing.read({ tokenId: "t", lastWriteLsn: "0/5" }, async (db) => (db as unknown as { name: string }).name)).toBe("primary");
  });

  it("reads a token's own write on the primary until the replica has replayed it, then never goes back", async () => {
    const primaryAt = { lsn: "0/100" };
    const replicaAt = { lsn: "0/50" };
    const routing = new ReadRouting(store("primary", primaryAt), store("replica", replicaAt));
    const where = (lastWriteLsn: string | null, tokenId = "t") => routing.read({ tokenId, lastWriteLsn }, async (db) => (db as unknown as { name: string }).name);
    expect(await where(null, "other")).toBe("replica"); // a token with nothing to see
    let written = "";
    await routing.recordWrite(1, "t", async () => { written = "0/100"; return written; });
    expect(await where(written)).toBe("primary"); // the replica is at 0/50
    primaryAt.lsn = "0/120"; // others wrote meanwhile; this read saw up to 0/120
    expect(await where(written)).toBe("primary");
    replicaAt.lsn = "0/110"; // past the write but behind what the last read showed
    expect(await where(written)).toBe("primary");
    replicaAt.lsn = "0/120";
    expect(await where(written)).toBe("replica");
    // Another process saw the write (stored on the token) but not this process's reads: the stored position is enough.
    const fresh = new ReadRouting(store("primary", primaryAt), store("replica", { lsn: "0/1FF" }));
    expect(await fresh.read({ tokenId: "t", lastWriteLsn: "0/100" }, async (db) => (db as unknown as { name: string }).name)).toBe("replica");
  });

  it("goes to the primary when the replica cannot say where it is, and when the replica refuses a write", async () => {
    const routing = new ReadRouting(store("primary", { lsn: "0/10" }), store("replica", { lsn: "0/5" }, true));
    expect(await routing.read({ tokenId: "t", lastWriteLsn: "0/8" }, async (db) => (db as unknown as { name: string }).name)).toBe("primary");
    const reached: string[] = [];
    const result = await routing.read({ tokenId: "u", lastWriteLsn: null }, async (db) => {
      const name = (db as unknown as { name: string }).name;
      reached.push(name);
      if (name === "replica") throw Object.assign(new Error("cannot execute in a read-only transaction"), { code: "25006" });
      return name;
    });
    expect(result).toBe("primary");
    expect(reached).toEqual(["replica", "primary"]);
  });
});
