// RequestContext: who is calling (tenant, token, permissions), when, and how to log. Built by the
// authenticate middleware; every service takes it as its first argument.
import type { Logger } from "winston";
import type { Tenant } from "./hr/tenants.js";
import type { CursorCodec } from "./scim/cursor.js";

export interface RequestContext {
  requestId: string;
  tenant: Tenant;
  tokenId: string;
  /** The token's last write position on the primary (read-routing.ts); null when none is kept. */
  lastWriteLsn?: string | null;
  permissions: readonly string[];
  /** The instant this request is served at (one per request, from the injected clock). */
  now: Date;
  /** Absolute base URL of the SCIM API, e.g. https://host/scim/v2 (no trailing slash). */
  scimBaseUrl: string;
  logger: Logger;
  /** Seals and opens RFC 9865 cursors (bound to this tenant and instant by the listing). */
  cursorCodec: CursorCodec;
}
