// RFC 9865 cursors: opaque and authenticated. A cursor is the position after the last row of a page
// (its sort value and id) and what it belongs to (tenant, resource type, sort key, order, filter,
// issue time), sealed with AES-256-GCM under a key derived from the deployment's secret key. A
// client can neither read the last row's sort value nor craft or alter a cursor; one of another
// tenant, resource type, filter or sort order, or older than CURSOR_TIMEOUT_SECONDS, is refused.
import crypto from "node:crypto";
import { isBindableText } from "../db/storable-text.js";
import { ScimError, invalidCursor } from "./errors.js";
import type { Column } from "./catalogue/types.js";

/** Seconds a cursor stays valid (ServiceProviderConfig pagination.cursorTimeout). */
export const CURSOR_TIMEOUT_SECONDS = 3600;

/** What a cursor is bound to. */
export interface CursorScope {
  tenantId: number;
  resourceType: string;
  /** Normalised sortBy, or "" for the default order. */
  sortKey: string;
  descending: boolean;
  filter: string | undefined;
}

/** The position after which the next page starts. */
export interface CursorPosition {
  value: unknown;
  id: string | number;
}

/** The SQL types the position's values are bound as (a value that does not fit is refused, not sent to SQL). */
export interface CursorKeyTypes {
  integerId: boolean;
  sort: { integer: boolean; type: Column["type"] } | null;
}

interface Sealed { t: number; r: string; s: string; o: "a" | "d"; f: string; v: unknown; i: string | number; x: number }

const VERSION = "c1.";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const NOT_OURS = "The cursor is not one this server issued. Start again without a cursor value (cursor=).";
const MAX_INT4 = 2_147_483_647;

function filterFingerprint(filter: string | undefined): string {
  return crypto.createHash("sha256").update(filter ?? "").digest("base64url");
}

// Sort values come from HR rows, which may hold control characters and long text: only what cannot
// be bound is refused.
const plainText = (v: unknown, max: number): v is string => typeof v === "string" && v.length <= max && isBindableText(v);

function fits(v: unknown, key: { integer: boolean; type?: Column["type"] }): boolean {
  if (key.integer) return Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= MAX_INT4;
  switch (key.type) {
    case "dateTime": return plainText(v, 40) && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(v) && Number.isFinite(Date.parse(v));
    case "boolean": return typeof v === "boolean";
    case "integer": case "decimal": return typeof v === "number" && Number.isFinite(v) && Math.abs(v) < 1e15;
    default: return plainText(v, 1_000_000);
  }
}

export class CursorCodec {
  constructor(private readonly key: Buffer, private readonly timeoutSeconds = CURSOR_TIMEOUT_SECONDS) {
    if (key.length !== 32) throw new Error("A cursor key has 32 bytes");
  }

  /** The cursor text for the position after `position` in `scope`, issued at `now`. */
  seal(scope: CursorScope, position: CursorPosition, now: Date): string {
    const sealed: Sealed = {
      t: scope.tenantId, r: scope.resourceType, s: scope.sortKey, o: scope.descending ? "d" : "a",
      f: filterFingerprint(scope.filter), v: position.value ?? null, i: position.id, x: Math.floor(now.getTime() / 1000),
    };
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(sealed), "utf8"), cipher.final()]);
    return VERSION + Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url");
  }

  /**
   * The position a cursor names, when it was issued by this server for this scope and is not older
   * than the timeout; otherwise 400 invalidCursor (or expiredCursor, RFC 9865 section 3).
   */
  open(text: string, scope: CursorScope, types: CursorKeyTypes, now: Date): CursorPosition {
    const sealed = this.unseal(text);
    if (sealed.t !== scope.tenantId) throw invalidCursor(NOT_OURS);
    if (sealed.r !== scope.resourceType) throw invalidCursor("The cursor belongs to another resource type. Start again with cursor=.");
    if (sealed.s !== scope.sortKey || sealed.o !== (scope.descending ? "d" : "a") || sealed.f !== filterFingerprint(scope.filter)) {
      throw invalidCursor("The cursor belongs to a different filter or sort order. Repeat the same filter, sortBy and sortOrder, or start again with cursor=.");
    }
    if (!Number.isSafeInteger(sealed.x) || now.getTime() / 1000 - sealed.x > this.timeoutSeconds) {
      throw new ScimError(400, `The cursor has expired (cursors are valid for ${this.timeoutSeconds} seconds). Start again with cursor=.`, "expiredCursor");
    }
    if (!fits(sealed.i, { integer: types.integerId, type: "string" })) throw invalidCursor(NOT_OURS);
    if (types.sort && sealed.v !== null && !fits(sealed.v, types.sort)) throw invalidCursor(NOT_OURS);
    return { value: sealed.v, id: sealed.i };
  }

  private unseal(text: string): Sealed {
    if (!text.startsWith(VERSION) || text.length > 2_000_000) throw invalidCursor(NOT_OURS);
    const raw = Buffer.from(text.slice(VERSION.length), "base64url");
    if (raw.length <= IV_BYTES + TAG_BYTES) throw invalidCursor(NOT_OURS);
    try {
      const decipher = crypto.createDecipheriv("aes-256-gcm", this.key, raw.subarray(0, IV_BYTES));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString("utf8");
      const sealed = JSON.parse(plain) as Sealed;
      if (!sealed || typeof sealed !== "object" || Array.isArray(sealed)) throw new Error("not an object");
      return sealed;
    } catch {
      throw invalidCursor(NOT_OURS);
    }
  }
}
