// The Entra client secret at rest: AES-256-GCM under a key derived from the deployment's secret key
// (HR_SCIM_SECRET_KEY, purpose "entra-client-secret"), bound to its tenant (additional data), so
// that a sealed value copied to another tenant's row does not open. Only the token client opens it;
// nothing prints, returns or logs it.
import crypto from "node:crypto";
import { deriveKey } from "../../crypto/secret-key.js";

const VERSION = "s1.";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class UnreadableSecretError extends Error {}

function aad(tenantId: number): Buffer {
  return Buffer.from(`hr-scim entra-client-secret tenant ${tenantId}`, "utf8");
}

export function sealClientSecret(secretKey: Buffer, tenantId: number, secret: string): string {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv("aes-256-gcm", deriveKey(secretKey, "entra-client-secret"), iv);
  cipher.setAAD(aad(tenantId));
  const body = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return VERSION + Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url");
}

export function openClientSecret(secretKey: Buffer, tenantId: number, sealed: string): string {
  try {
    if (!sealed.startsWith(VERSION)) throw new Error("version");
    const raw = Buffer.from(sealed.slice(VERSION.length), "base64url");
    if (raw.length < IV_BYTES + TAG_BYTES) throw new Error("short");
    const decipher = crypto.createDecipheriv("aes-256-gcm", deriveKey(secretKey, "entra-client-secret"), raw.subarray(0, IV_BYTES));
    decipher.setAAD(aad(tenantId));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new UnreadableSecretError("The stored Entra client secret cannot be decrypted: HR_SCIM_SECRET_KEY (or the data directory's secret-key file) is not the one it was stored with. Connect again with the client secret (the console, `PUT /admin/v1/tenants/{slug}/entra` or `entra connect`).");
  }
}
