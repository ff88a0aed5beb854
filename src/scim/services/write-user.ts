// Use cases of write-back on /Users/{id} (docs/BEHAVIOUR.md section 5, docs/CLIENTS.md items 24-27): PATCH and
// PUT, gated by users:write, applied by the pure engine (scim/patch) to the locked row and stored
// by hr/write-back.ts with its audit row, all in one transaction.
import type { Knex } from "knex";
import { canWriteUsers } from "../../auth/permissions.js";
import type { RequestContext } from "../../context.js";
import type { PersonRow } from "../../hr/people.js";
import { UserNameTakenError, writeEmployee } from "../../hr/write-back.js";
import { forbidden, invalidValue, notFound, preconditionFailed, uniqueness } from "../errors.js";
import type { Catalogue } from "../catalogue/catalogue.js";
import { userVersion } from "../catalogue/user.js";
import { applyPatch, applyPut, columnsOf, emailDomainAllowed, writableUserFromRow, type FieldChange, type WritableUser, type WriteResult } from "../patch/index.js";
import type { AttributeSelection } from "../projection/attribute-selection.js";
import { parseUserId, userCatalogueFor, userResource, type UserResult } from "./users.js";
import { peopleScope } from "./user-scope.js";

export interface UserWriteRequest {
  id: string;
  body: unknown;
  /** The If-Match header as sent, if any (RFC 7644 section 3.14). */
  ifMatch?: string;
  selection?: AttributeSelection;
  /** The request as the integration log records it. */
  method: "PATCH" | "PUT";
  path: string;
  /** The status the response will have when the write succeeds (200, or 204 for no content). */
  successStatus: 200 | 204;
  /** Milliseconds since the request started, read when the audit row is stored. */
  elapsedMs: () => number;
}

export interface UserWriteResult extends UserResult {
  /** The attribute-level diff stored in the audit row ([] when the write changed nothing). */
  changes: FieldChange[];
}

type Engine = (current: WritableUser, body: unknown, catalogue: Catalogue) => WriteResult;

/** PATCH /Users/{id} (RFC 7644 section 3.5.2 with Entra's dialect); see writeUser. */
export function patchUser(ctx: RequestContext, db: Knex, request: UserWriteRequest): Promise<UserWriteResult> {
  return writeUser(ctx, db, request, applyPatch);
}

/** PUT /Users/{id} (RFC 7644 section 3.5.1 as docs/BEHAVIOUR.md section 5 amends it: absent attributes stay); see writeUser. */
export function putUser(ctx: RequestContext, db: Knex, request: UserWriteRequest): Promise<UserWriteResult> {
  return writeUser(ctx, db, request, applyPut);
}

/**
 * Whether an If-Match header matches the user's current ETag (RFC 7232 section 3.1, as RFC 7644
 * section 3.14 uses it with weak ETags): `*`, or one of the listed tags. The weak prefix is ignored
 * on both sides, since hr-scim's ETags are weak and clients echo them as they got them.
 */
export function ifMatchSatisfied(header: string, current: string): boolean {
  const opaque = (tag: string) => tag.trim().replace(/^W\//i, "");
  const wanted = opaque(current);
  return header.split(",").some((tag) => tag.trim() === "*" || opaque(tag) === wanted);
}

/**
 * One write-back on a user, in this order: 403 without users:write (before anything else, even
 * for unknown ids); 404 for an id this token cannot see (unknown, another tenant's, a future
 * employee hidden from it), exactly as GET answers; then, on the row locked for update, 412 when
 * If-Match is stale, the engine's 400s, 400 invalidValue for a work email outside the tenant's
 * allowedEmailDomains, and 409 uniqueness for a user name another employee has in any case.
 * Returns the user as it is after the write, projected and selected like GET.
 */
async function writeUser(ctx: RequestContext, db: Knex, request: UserWriteRequest, engine: Engine): Promise<UserWriteResult> {
  if (!canWriteUsers(ctx.permissions)) {
    throw forbidden("This token may not write users: write-back needs the users:write permission, which the tenant's security team grants per token. Until then, switch off attribute write-back (Okta: \"Update User Attributes\"; Entra: the provisioning job writing to hr-scim); nothing was changed.");
  }
  const employeeId = parseUserId(request.id);
  if (employeeId === null) throw notFound(`User ${request.id} not found`);

  const { settings } = ctx.tenant;
  const catalogue = userCatalogueFor(ctx);
  let changes: FieldChange[] = [];

  const decide = (row: PersonRow) => {
    if (request.ifMatch !== undefined && !ifMatchSatisfied(request.ifMatch, userVersion(row))) {
      throw preconditionFailed(`User ${request.id} changed since it was read: If-Match ${request.ifMatch} does not match its current version ${userVersion(row)}. Read it again and retry; nothing was changed.`);
    }
    const result = engine(writableUserFromRow(catalogue, row as never), request.body, catalogue);
    const email = result.next.workEmail ?? null;
    if (email !== null && email !== row.work_email && !emailDomainAllowed(email, settings.allowedEmailDomains)) {
      throw invalidValue(`The work email "${email}" is outside this tenant's allowed domains (${settings.allowedEmailDomains.join(", ")}); use an address in one of them. Nothing was changed.`);
    }
    changes = result.changes;
    return { columns: columnsOf(catalogue, result.changes), diff: result.changes };
  };

  let written;
  try {
    written = await writeEmployee(db, {
      scope: peopleScope(ctx),
      employeeId,
      now: ctx.now,
      decide,
      audit: {
        tokenId: ctx.tokenId, requestId: ctx.requestId, method: request.method, path: request.path,
        status: request.successStatus, resourceId: request.id, durationMs: request.elapsedMs,
      },
    });
  } catch (error) {
    if (error instanceof UserNameTakenError) {
      throw uniqueness(`The userName "${error.userName}" is already used by another employee of this tenant (user names are compared ignoring case). Choose another one; nothing was changed.`);
    }
    throw error;
  }
  if (!written) throw notFound(`User ${request.id} not found`);

  return {
    resource: userResource(ctx, written.after, request.selection ?? {}),
    version: userVersion(written.after),
    changes,
  };
}
