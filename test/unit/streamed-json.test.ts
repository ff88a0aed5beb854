// sendScim with DeferredArrays (src/http/middleware/scim-json.ts): the text around a deferred array is
// written as it comes, each emitted chunk is written and drained before the producer may go on
// (backpressure: one chunk in memory), a client that leaves stops the producer, and a producer that
// fails after the status line cuts the connection instead of ending a body that parses.
import { Writable } from "node:stream";
import type express from "express";
import { describe, expect, it } from "vitest";
import { sendScim } from "../../src/http/middleware/scim-json.js";
import { DeferredArray } from "../../src/scim/deferred-array.js";

/** A response whose socket takes one write at a time and drains only when the test says so. */
class SlowResponse extends Writable {
  readonly written: string[] = [];
  private pending: (() => void)[] = [];
  statusCode = 0;
  sent: string | undefined;
  constructor() {
    super({ highWaterMark: 1, decodeStrings: false });
  }
  override _write(chunk: unknown, _enc: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.written.push(String(chunk));
    this.pending.push(() => callback());
  }
  drainAll(): void {
    const pending = this.pending;
    this.pending = [];
    for (const done of pending) done();
  }
  status(code: number) { this.statusCode = code; return this; }
  type() { return this; }
  send(text: string) { this.sent = text; return this; }
  get text(): string { return this.written.join(""); }
  asExpress(): express.Response { return this as unknown as express.Response; }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("sendScim with a deferred array", () => {
  it("sends a body without deferred arrays whole", async () => {
    const res = new SlowResponse();
    await sendScim(res.asExpress(), 200, { a: [1, 2] });
    expect(res.sent).toBe('{"a":[1,2]}');
    expect(res.written).toEqual([]);
  });

  it("asks the producer for the next chunk only after the previous one drained, and writes valid JSON", async () => {
    const res = new SlowResponse();
    const emitted: number[] = [];
    const members = new DeferredArray(async (emit) => {
      for (const n of [1, 2, 3]) {
        emitted.push(n);
        await emit([{ value: String(n * 10) }, { value: String(n * 10 + 1) }]);
      }
      await emit([]);
    });
    const done = sendScim(res.asExpress(), 200, { id: "g", members, meta: { version: "v" } });
    await tick();
    expect(res.text).toBe('{"id":"g","members":');
    expect(emitted).toEqual([]);
    // Each drain lets one pending write complete: the producer goes on by at most one chunk.
    for (let i = 0; i < 20; i++) {
      const before = emitted.length;
      res.drainAll();
      await tick();
      expect(emitted.length - before).toBeLessThanOrEqual(1);
    }
    await done;
    expect(emitted).toEqual([1, 2, 3]);
    expect(JSON.parse(res.text)).toEqual({
      id: "g", members: [{ value: "10" }, { value: "11" }, { value: "20" }, { value: "21" }, { value: "30" }, { value: "31" }], meta: { version: "v" },
    });
  });

  it("writes an empty array for a producer that emits nothing, and several arrays in one body", async () => {
    const res = new SlowResponse();
    const none = new DeferredArray(async () => {});
    const some = new DeferredArray(async (emit) => { await emit(["x"]); });
    const done = sendScim(res.asExpress(), 200, { Resources: [{ members: none }, { members: some }] });
    for (let i = 0; i < 20; i++) { res.drainAll(); await tick(); }
    await done;
    expect(JSON.parse(res.text)).toEqual({ Resources: [{ members: [] }, { members: ["x"] }] });
  });

  it("stops the producer when the client leaves, without an error", async () => {
    const res = new SlowResponse();
    let emits = 0;
    let stoppedWith: unknown;
    const members = new DeferredArray(async (emit) => {
      try {
        for (;;) { emits++; await emit([emits]); }
      } catch (e) {
        stoppedWith = e;
        throw e;
      }
    });
    const done = sendScim(res.asExpress(), 200, { members });
    while (emits === 0) { res.drainAll(); await tick(); }
    res.destroy();
    await expect(done).resolves.toBeUndefined();
    expect(stoppedWith).toBeInstanceOf(Error);
    expect(emits).toBeLessThanOrEqual(2);
  });

  it("cuts the connection when the producer fails after the status line was sent", async () => {
    const res = new SlowResponse();
    const members = new DeferredArray(async (emit) => {
      await emit([1]);
      throw new Error("database gone");
    });
    const outcome = sendScim(res.asExpress(), 200, { members }).then(() => null, (e: Error) => e);
    for (let i = 0; i < 5; i++) { res.drainAll(); await tick(); }
    expect((await outcome)?.message).toBe("database gone");
    expect(res.destroyed).toBe(true);
    expect(() => JSON.parse(res.text)).toThrow();
  });
});
