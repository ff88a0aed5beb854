// The one place errors become HTTP responses: ScimError as its SCIM body; body-parser failures as
// 400 invalidSyntax; the database unavailable or a statement over its time bound as 503 with
// Retry-After; anything else as a 500 without internals (logged structurally, never sent).
import type { ErrorRequestHandler, Request, Response } from "express";
import type { Logger } from "winston";
import { boundLogText } from "../../log-text.js";
import { classifyDatabaseError, type DatabaseFault } from "../../db/database-errors.js";
import { ScimError, invalidSyntax, invalidValue } from "../../scim/errors.js";
import { sendScim } from "./scim-json.js";

/** Seconds a client is asked to wait (Retry-After) after each database fault. */
export const RETRY_AFTER_SECONDS: Record<DatabaseFault, number> = { unavailable: 5, timeout: 10, conflict: 1 };

const FAULT_DETAILS: Record<DatabaseFault, string> = {
  unavailable: "The service's database is unavailable (restarting, unreachable or busy). Retry after the delay in Retry-After; " +
    "a write answered this way may not have been applied, so read the resource again before repeating it.",
  timeout: "The request took longer than the database time limit and was stopped; nothing was changed. Retry after the delay in Retry-After; " +
    "if it happens again, simplify the filter (fewer conditions, especially on members or groups) or ask for smaller pages.",
  conflict: "The request met a concurrent change of the same records and was rolled back; nothing was changed. Retry after the delay in Retry-After.",
};

/** The 503 a database fault is answered with (RFC 7231 section 7.1.3 Retry-After). */
export function databaseFaultError(fault: DatabaseFault): ScimError {
  return new ScimError(503, FAULT_DETAILS[fault], undefined, { "Retry-After": String(RETRY_AFTER_SECONDS[fault]) });
}

function toScimError(err: unknown): ScimError | null {
  if (err instanceof ScimError) return err;
  const e = err as { type?: string; status?: number };
  if (e?.type === "entity.parse.failed") return invalidSyntax("The request body is not valid JSON");
  if (e?.type === "entity.too.large") return new ScimError(413, "The request body is too large (1 MB at most)");
  if (e?.type === "encoding.unsupported" || e?.type === "charset.unsupported") return new ScimError(415, "Send the body as UTF-8 JSON (application/scim+json or application/json)");
  if (typeof e?.status === "number" && e.status >= 400 && e.status < 500) return new ScimError(e.status, "The request could not be read");
  // PostgreSQL refusing a character (NUL, a byte sequence it cannot encode): client text that no
  // check caught before the query. Still the client's input, so 400, and nothing was changed.
  const code = (err as { code?: unknown })?.code;
  if (code === "22021" || code === "22P05") return invalidValue("The request holds a character that cannot be stored (such as NUL); send plain text.");
  // A date or time PostgreSQL cannot read or that is out of its range, from a value no check parsed first.
  if (code === "22007" || code === "22008") return invalidValue("The request holds a date or time that cannot be stored or compared; send ISO 8601 values.");
  return null;
}

/**
 * Any error as the ScimError it is answered with: ScimErrors as they are, client faults by kind,
 * database faults as 503, anything else as a logged 500 without internals. Shared with the HR
 * API's problem+json renderer (problem-json.ts).
 */
export function classifyError(err: unknown, logger: Logger, req: Request, res: Response): ScimError {
  let scim = toScimError(err);
  const fault = scim ? null : classifyDatabaseError(err);
  if (fault) {
    const e = err as { name?: string; code?: string };
    // Never the message: knex puts the SQL, with the client's values, into it.
    logger.error("database fault", {
      requestId: res.locals.requestId, method: req.method, route: boundLogText(req.route?.path ?? req.path), fault, code: e?.code, error: e?.name,
    });
    scim = databaseFaultError(fault);
  } else if (!scim) {
    const e = err as { name?: string; code?: string; stack?: string };
    logger.error("unhandled error", {
      requestId: res.locals.requestId, method: req.method, route: boundLogText(req.route?.path ?? req.path),
      // The frames only: the message of a database error quotes SQL and the client's values.
      error: e?.name, code: e?.code, stack: e?.stack?.split("\n").filter((l) => /^\s+at /.test(l)).slice(0, 5).join("\n"),
    });
    scim = new ScimError(500, "Internal error. The request id in X-Request-Id identifies it in the server logs.");
  } else if (scim.status >= 500) {
    logger.error("server error", { requestId: res.locals.requestId, status: scim.status });
  }
  return scim;
}

export function renderError(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const scim = classifyError(err, logger, req, res);
    res.locals.errorDetail = scim.status < 500 ? scim.scimType ?? "error" : "internal";
    if (res.headersSent) return; // a streamed response was cut; its status line is gone
    for (const [name, value] of Object.entries(scim.headers)) res.setHeader(name, value);
    sendScim(res, scim.status, scim.toBody());
  };
}
