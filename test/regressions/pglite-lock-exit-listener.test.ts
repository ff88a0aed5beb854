// Regression: each release of the PGlite data directory's lock left its process "exit" listener
// behind, so a process opening and closing the store many times (the CLI's tests do) piled up
// listeners until Node warned of a leak. Releasing the lock now removes its listener.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { lockDataDirectory } from "../../src/db/pglite-lock.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hr-scim-lock-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it("leaves no exit listener behind after each release", () => {
  const listeners = process.listenerCount("exit");
  for (let i = 0; i < 20; i++) {
    const release = lockDataDirectory(dir);
    expect(process.listenerCount("exit")).toBe(listeners + 1);
    release();
    expect(process.listenerCount("exit")).toBe(listeners);
  }
  expect(fs.readdirSync(dir)).toEqual([]);
});
