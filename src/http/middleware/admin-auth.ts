// Who calls /admin/v1: an admin key as `Authorization: Bearer` (scripts), or the console's session
// cookie (sessions.ts), whose writes must carry the session's CSRF token in X-CSRF-Token. Refusals
// are 401 problems; nothing else runs for them.
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { Knex } from "knex";
import { actorOfKey, touchAdminKey, verifyAdminKey } from "../../admin/admin-keys.js";
import { AdminProblem } from "../../admin/problems.js";
import type { AdminActor } from "../../admin/roles.js";
import { csrfMatches, findSession } from "../../admin/sessions.js";
import type { Clock } from "../../clock.js";

export const SESSION_COOKIE = "hrscim_admin";

export interface AdminContext {
  actor: AdminActor;
  now: Date;
  /** The session id when the console called (none for a bearer key). */
  sessionId?: string;
}

export function cookieValue(req: Request, name: string): string | undefined {
  const header = req.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const unauthorized = (detail: string) => new AdminProblem(401, "Unauthorized", detail);

export function adminAuthenticate(options: { db: Knex; clock: Clock; csrfKey: Buffer }): RequestHandler {
  const { db, clock, csrfKey } = options;
  return (req: Request, res: Response, next: NextFunction) => {
    const now = clock();
    const authorization = req.get("authorization");
    const run = async () => {
      if (authorization) {
        const m = /^Bearer ([^\s]+)$/i.exec(authorization.trim());
        const key = m ? await verifyAdminKey(db, m[1], now) : null;
        if (!key) throw unauthorized("The admin key is unknown, revoked or expired. Admin keys are made with `admin create` in the CLI.");
        touchAdminKey(db, key, now).catch(() => {});
        res.locals.admin = { actor: actorOfKey(key), now } satisfies AdminContext;
        return;
      }
      const sessionId = cookieValue(req, SESSION_COOKIE);
      const session = sessionId ? await findSession(db, sessionId, now) : null;
      if (!session || !sessionId) throw unauthorized("Send an admin key as Authorization: Bearer <key>, or sign in to the console at /admin.");
      if (!SAFE_METHODS.has(req.method) && !csrfMatches(csrfKey, sessionId, req.get("x-csrf-token"))) {
        throw new AdminProblem(403, "Forbidden", "A console write must carry the session's CSRF token in X-CSRF-Token.");
      }
      touchAdminKey(db, session.key, now).catch(() => {});
      res.locals.admin = { actor: actorOfKey(session.key), now, sessionId } satisfies AdminContext;
    };
    run().then(() => next(), next);
  };
}

export function adminContextOf(res: Response): AdminContext {
  return res.locals.admin as AdminContext;
}
