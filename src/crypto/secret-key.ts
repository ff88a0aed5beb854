// The deployment's secret key (HR_SCIM_SECRET_KEY: 32 random bytes, base64), from which every
// server-side key is derived: cursors are sealed with one, and stored connector secrets are
// encrypted with another. Every process of a deployment shares it. With the embedded store it is
// generated once and kept beside the data, so that a restart keeps cursors and stored secrets valid.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export const SECRET_KEY_BYTES = 32;
const KEY_FILE = "secret-key";

export class InvalidSecretKeyError extends Error {}

/** How an operator makes a key, for error messages and docs. */
export const HOW_TO_MAKE_A_KEY = "generate one with `openssl rand -base64 32` (or `node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\"`)";

/** The key from its base64 text; anything but exactly 32 bytes is refused. */
export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, "base64");
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) || key.length !== SECRET_KEY_BYTES) {
    throw new InvalidSecretKeyError(`HR_SCIM_SECRET_KEY must be ${SECRET_KEY_BYTES} random bytes in base64 (44 characters); ${HOW_TO_MAKE_A_KEY}`);
  }
  return key;
}

/** The embedded store's key, kept in `<dataDir>/secret-key` (mode 0600), created on first use. */
export function loadOrCreateDataDirKey(dataDir: string): Buffer {
  const file = path.join(dataDir, KEY_FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    return parseSecretKey(fs.readFileSync(file, "utf8"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  const key = crypto.randomBytes(SECRET_KEY_BYTES);
  try {
    fs.writeFileSync(file, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    return key;
  } catch (e) {
    // Another process created it first: use theirs.
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return parseSecretKey(fs.readFileSync(file, "utf8"));
    throw e;
  }
}

/** A 32-byte key for one purpose ("cursor", "entra-client-secret", ...), derived with HKDF-SHA256. */
export function deriveKey(secretKey: Buffer, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", secretKey, Buffer.alloc(0), `hr-scim ${purpose} v1`, 32));
}
