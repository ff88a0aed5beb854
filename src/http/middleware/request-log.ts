// One log line per request (request id, tenant, token id, method, route, status, latency) and one
// integration-log row per authenticated SCIM request. No query strings, bodies or headers.
import type { RequestHandler } from "express";
import type { Logger } from "winston";
import type { IntegrationLogBuffer } from "../../audit/integration-log";
import type { RequestContext } from "../../context";

export function requestLog(logger: Logger, integrationLog: IntegrationLogBuffer): RequestHandler {
  return (req, res, next) => {
    res.on("finish", () => {
      const started = res.locals.startedAt as bigint;
      const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
      const ctx = res.locals.ctx as RequestContext | undefined;
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : req.path.startsWith("/scim/") ? "unmatched" : req.path;
      const line = {
        requestId: res.locals.requestId, tenant: ctx?.tenant.slug, tokenId: ctx?.tokenId,
        method: req.method, route, status: res.statusCode, latencyMs: Math.round(latencyMs * 10) / 10,
      };
      if (res.statusCode >= 500) logger.error("request", line);
      else logger.info("request", line);
      if (ctx && !res.locals.integrationLogged) {
        integrationLog.record({
          tenantId: ctx.tenant.id, at: ctx.now, tokenId: ctx.tokenId, requestId: ctx.requestId,
          method: req.method, path: req.path, status: res.statusCode, durationMs: latencyMs,
          resourceId: (res.locals.resourceId as string | undefined) ?? null,
        });
      }
    });
    next();
  };
}
