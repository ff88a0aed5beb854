// HR_SCIM_SECRET_KEY: parsed strictly, generated once and kept for the embedded store, required
// with DATABASE_URL, and the root of purpose-specific keys.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { deriveKey, InvalidSecretKeyError, loadOrCreateDataDirKey, parseSecretKey } from "../../src/crypto/secret-key.js";

describe("the secret key", () => {
  it("is 32 bytes of base64, nothing else", () => {
    const text = Buffer.alloc(32, 9).toString("base64");
    expect(parseSecretKey(` ${text}\n`)).toEqual(Buffer.alloc(32, 9));
    for (const bad of ["", "short", Buffer.alloc(31).toString("base64"), Buffer.alloc(33).toString("base64"), `${text}!`]) {
      expect(() => parseSecretKey(bad), bad).toThrow(InvalidSecretKeyError);
    }
  });

  it("is generated once into the data directory, readable only by its owner, and kept across starts", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hr-scim-key-"));
    try {
      const first = loadOrCreateDataDirKey(dir);
      expect(first).toHaveLength(32);
      expect(loadOrCreateDataDirKey(dir)).toEqual(first);
      expect(fs.statSync(path.join(dir, "secret-key")).mode & 0o077).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("derives distinct keys per purpose", () => {
    const key = Buffer.alloc(32, 1);
    expect(deriveKey(key, "cursor")).toHaveLength(32);
    expect(deriveKey(key, "cursor")).not.toEqual(deriveKey(key, "entra-client-secret"));
    expect(deriveKey(key, "cursor")).not.toEqual(deriveKey(Buffer.alloc(32, 2), "cursor"));
  });

  it("is required when DATABASE_URL is set: the server refuses to start without it", () => {
    const { BASE_URL: _vite, HR_SCIM_SECRET_KEY: _key, ...env } = process.env;
    const run = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: { ...env, DATABASE_URL: "postgres://nobody@127.0.0.1:1/none", PORT: "0", NODE_ENV: "production" }, encoding: "utf8", timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("HR_SCIM_SECRET_KEY");
  });
});
