// Bearer authentication (RFC 6750 header only): the token decides the tenant and the permissions.
// Tokens in the query string or body are refused, since they end up in access logs.
import type { Knex } from "knex";
import type { NextFunction, Request, RequestHandler, Response } from "express";
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

const REFUSED = "The bearer token is unknown, revoked or expired. Ask the tenant admin for a new token.";

/**
 * The credentials of `Authorization: Bearer <token>` (RFC 6750 section 2.1), read as passport-http-bearer
 * reads them: two parts split on one space, the scheme case-insensitive. Null for anything else.
 */
export function bearerCredentials(header: string): string | null {
  const parts = header.split(" ");
  return parts.length === 2 && /^Bearer$/i.test(parts[0]) && parts[1] ? parts[1] : null;
}

export function authenticate(options: AuthenticateOptions): RequestHandler {
  const { db, clock, logger } = options;

  return (req: Request, res: Response, next: NextFunction) => {
    if (hasParam(req.query, "access_token") || hasParam(req.body, "access_token")) {
      next(badRequest("Send the token in the Authorization: Bearer header; tokens in the URL or body are refused"));
      return;
    }
    if (!req.get("authorization")) {
      next(unauthorized("Missing Authorization: Bearer <token> header"));
      return;
    }
    const token = bearerCredentials(req.get("authorization")!);
    if (token === null) { next(unauthorized(REFUSED)); return; }
    const now = clock();
    verifyTokenWithTenant(db, token, now, options.tokenCache).then((found) => {
      const result: AuthResult | false = found ? { token: found.record, tenant: found.tenant, now } : false;
      if (!result) { next(unauthorized(REFUSED)); return; }
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
    }, next);
  };
}

export function contextOf(res: Response): RequestContext {
  return res.locals.ctx as RequestContext;
}
