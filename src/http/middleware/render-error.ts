// The one place errors become HTTP responses: ScimError as its SCIM body; body-parser failures as
// 400 invalidSyntax; anything else as a 500 without internals (logged structurally, never sent).
import type { ErrorRequestHandler } from "express";
import type { Logger } from "winston";
import { ScimError, invalidSyntax, invalidValue } from "../../scim/errors.js";
import { sendScim } from "./scim-json.js";

function toScimError(err: unknown): ScimError | null {
  if (err instanceof ScimError) return err;
  const e = err as { type?: string; status?: number };
  if (e?.type === "entity.parse.failed") return invalidSyntax("The request body is not valid JSON");
  if (e?.type === "entity.too.large") return new ScimError(413, "The request body is too large (1 MB at most)");
  if (e?.type === "encoding.unsupported" || e?.type === "charset.unsupported") return new ScimError(415, "Send the body as UTF-8 application/scim+json");
  if (typeof e?.status === "number" && e.status >= 400 && e.status < 500) return new ScimError(e.status, "The request could not be read");
  // PostgreSQL refusing a character (NUL, a byte sequence it cannot encode): client text that no
  // check caught before the query. Still the client's input, so 400, and nothing was changed.
  const code = (err as { code?: unknown })?.code;
  if (code === "22021" || code === "22P05") return invalidValue("The request holds a character that cannot be stored (such as NUL); send plain text.");
  return null;
}

export function renderError(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let scim = toScimError(err);
    if (!scim) {
      const e = err as { name?: string; code?: string; stack?: string };
      logger.error("unhandled error", {
        requestId: res.locals.requestId, method: req.method, route: req.route?.path ?? req.path,
        // The frames only: the message of a database error quotes SQL and the client's values.
        error: e?.name, code: e?.code, stack: e?.stack?.split("\n").filter((l) => /^\s+at /.test(l)).slice(0, 5).join("\n"),
      });
      scim = new ScimError(500, "Internal error. The request id in X-Request-Id identifies it in the server logs.");
    } else if (scim.status >= 500) {
      logger.error("server error", { requestId: res.locals.requestId, status: scim.status });
    }
    res.locals.errorDetail = scim.status < 500 ? scim.scimType ?? "error" : "internal";
    if (res.headersSent) return; // a streamed response was cut; its status line is gone
    for (const [name, value] of Object.entries(scim.headers)) res.setHeader(name, value);
    sendScim(res, scim.status, scim.toBody());
  };
}
