// scripts/build.mjs distIsStale: `npm start` compiles only when dist/ is missing, was not built whole
// (no stamp), or a source, a deleted source or the build configuration is newer than the stamp.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { distIsStale } from "../../scripts/build.mjs";

let root: string;
const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
function write(rel: string, seconds: number) {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, "x");
  fs.utimesSync(file, at(seconds), at(seconds));
}
const touchDir = (rel: string, seconds: number) => fs.utimesSync(path.join(root, rel), at(seconds), at(seconds));

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "hr-scim-dist-"));
  write("src/main.ts", 10);
  write("src/db/migrations/001.ts", 10);
  write("tsconfig.json", 10);
  touchDir("src/db/migrations", 10);
  touchDir("src/db", 10);
  touchDir("src", 10);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe("distIsStale", () => {
  it("is stale without dist/, and without the stamp of a whole build even when dist/main.js exists", () => {
    expect(distIsStale(root)).toBe(true);
    write("dist/main.js", 20);
    expect(distIsStale(root)).toBe(true);
  });

  it("is fresh when the stamp is newer than every source, and stale once one source is saved after it", () => {
    write("dist/.build-stamp", 20);
    expect(distIsStale(root)).toBe(false);
    write("src/db/migrations/001.ts", 30);
    expect(distIsStale(root)).toBe(true);
  });

  it("is stale when a source was deleted (its directory changed) or the build configuration changed", () => {
    write("dist/.build-stamp", 20);
    touchDir("src/db/migrations", 30);
    expect(distIsStale(root)).toBe(true);
    touchDir("src/db/migrations", 10);
    write("tsconfig.json", 30);
    expect(distIsStale(root)).toBe(true);
  });

  it("is fresh without src/ when dist/main.js is there (an image ships dist/ only)", () => {
    fs.rmSync(path.join(root, "src"), { recursive: true });
    expect(distIsStale(root)).toBe(true);
    write("dist/main.js", 5);
    expect(distIsStale(root)).toBe(false);
  });
});
