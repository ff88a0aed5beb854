// Bearer authentication (RFC 6750 header only): the token decides the tenant and the permissions.
// Tokens in the query string or body are refused, since they end up in access logs.
import type { Knex } from "knex";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import passport from "passport";
import { Strategy as BearerStrategy } from "passport-http-bearer";
import type { Logger } from "winston";
import type { Clock } from "../../clock.js";
import type { RequestContext } from "../../context.js";
import { touchToken, verifyTokenWithTenant, type TokenRecord } from "../../auth/tokens.js";
import type { VerifiedTokenCache } from "../../auth/verified-token-cache.js";
import type { Tenant } from "../../hr/tenants.js";
import type { CursorCodec } from "../../scim/cursor.js";
import { badRequest, unauthorized } from "../../scim/errors.js";

export interface AuthenticateOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
  baseUrl?: string;
  cursorCodec: CursorCodec;
  /** Tokens verified in the last seconds (none: every request reads its token). */
  tokenCache?: VerifiedTokenCache;
}

interface AuthResult { token: TokenRecord; tenant: Tenant | null; now: Date }

function hasParam(container: unknown, name: string): boolean {
  return !!container && typeof container === "object" && Object.keys(container).some((k) => k.toLowerCase() === name);
}

export function authenticate(options: AuthenticateOptions): RequestHandler {
  const { db, clock, logger } = options;
  const authenticator = new passport.Passport();
  authenticator.use(new BearerStrategy({ passReqToCallback: false }, (token: string, done: (err: unknown, user?: AuthResult | false) => void) => {
    const now = clock();
    verifyTokenWithTenant(db, token, now, options.tokenCache).then((found) => done(null, found ? { token: found.record, tenant: found.tenant, now } : false), done);
  }));

  return (req: Request, res: Response, next: NextFunction) => {
    if (hasParam(req.query, "access_token") || hasParam(req.body, "access_token")) {
      next(badRequest("Send the token in the Authorization: Bearer header; tokens in the URL or body are refused"));
      return;
    }
    if (!req.get("authorization")) {
      next(unauthorized("Missing Authorization: Bearer <token> header"));
      return;
    }
    authenticator.authenticate("bearer", { session: false }, (err: unknown, result: AuthResult | false) => {
      if (err) { next(err); return; }
      if (!result) { next(unauthorized("The bearer token is unknown, revoked or expired. Ask the tenant admin for a new token.")); return; }
      const tenant = result.tenant;
      if (!tenant) { next(unauthorized("The bearer token's tenant no longer exists")); return; }
      const base = options.baseUrl ?? `${req.protocol}://${req.get("host")}`;
      const ctx: RequestContext = {
        requestId: res.locals.requestId,
        tenant,
        tokenId: result.token.id,
        lastWriteLsn: result.token.lastWriteLsn,
        permissions: result.token.permissions,
        now: result.now,
        scimBaseUrl: `${base}/scim/v2`,
        cursorCodec: options.cursorCodec,
        logger: logger.child({ requestId: res.locals.requestId, tenant: tenant.slug, tokenId: result.token.id }),
      };
      res.locals.ctx = ctx;
      touchToken(db, result.token, result.now).catch(() => {});
      next();
    })(req, res, next);
  };
}

export function contextOf(res: Response): RequestContext {
  return res.locals.ctx as RequestContext;
}
