// /admin/v1/session: the console signs in with an admin key (POST, JSON only, so that no form on
// another site can post it), reads its CSRF token again after a reload (GET) and signs out (DELETE).
import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { actorOfKey, touchAdminKey, verifyAdminKey } from "../../../admin/admin-keys.js";
import { AdminProblem, badInput } from "../../../admin/problems.js";
import { createSession, csrfToken, deleteSession, findSession, SESSION_HOURS } from "../../../admin/sessions.js";
import type { Clock } from "../../../clock.js";
import { findTenantById } from "../../../hr/tenants.js";
import { cookieValue, SESSION_COOKIE } from "../../middleware/admin-auth.js";
import { member, objectBody } from "./params.js";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

function cookieAttributes(req: Request, baseUrl: string | undefined): string {
  // Secure wherever the console is served over https; plain http only on a loopback address.
  const secure = req.secure || (baseUrl?.startsWith("https:") && !LOOPBACK.has(req.hostname));
  return `HttpOnly; SameSite=Strict; Path=/admin${secure ? "; Secure" : ""}`;
}

export function sessionRouter(options: { db: Knex; clock: Clock; csrfKey: Buffer; baseUrl?: string }): Router {
  const { db, clock, csrfKey } = options;
  const router = Router();

  const describe = async (res: Response, sessionId: string, expiresAt: Date, key: Parameters<typeof actorOfKey>[0]) => {
    const tenant = key.tenantId === null ? null : await findTenantById(db, key.tenantId);
    res.json({
      csrfToken: csrfToken(csrfKey, sessionId), expiresAt: expiresAt.toISOString(),
      admin: { keyId: key.id, name: key.name, roles: key.roles, tenant: tenant?.slug ?? null },
    });
  };

  router.post("/session", async (req: Request, res: Response) => {
    if (!req.is("application/json")) throw new AdminProblem(415, "Unsupported media type", "Sign in with a JSON body {\"key\": \"<admin key>\"}");
    const key = member(objectBody(req), "key");
    if (typeof key !== "string" || !key) throw badInput("key must be the admin key, as text");
    const now = clock();
    const record = await verifyAdminKey(db, key.trim(), now);
    if (!record) throw new AdminProblem(401, "Unauthorized", "The admin key is unknown, revoked or expired.");
    const session = await createSession(db, record, now);
    touchAdminKey(db, record, now).catch(() => {});
    res.setHeader("Set-Cookie", `${SESSION_COOKIE}=${session.id}; Max-Age=${SESSION_HOURS * 3600}; ${cookieAttributes(req, options.baseUrl)}`);
    res.status(201);
    await describe(res, session.id, session.expiresAt, record);
  });

  router.get("/session", async (req: Request, res: Response) => {
    const id = cookieValue(req, SESSION_COOKIE);
    const session = id ? await findSession(db, id, clock()) : null;
    if (!session || !id) throw new AdminProblem(401, "Unauthorized", "Not signed in.");
    await describe(res, id, session.expiresAt, session.key);
  });

  router.delete("/session", async (req: Request, res: Response) => {
    const id = cookieValue(req, SESSION_COOKIE);
    if (id) await deleteSession(db, id);
    res.setHeader("Set-Cookie", `${SESSION_COOKIE}=; Max-Age=0; ${cookieAttributes(req, options.baseUrl)}`);
    res.status(204).end();
  });
  return router;
}
