// One log line per request (request id, tenant, token id, method, route, status, latency) and one
// integration-log row per authenticated SCIM request. No query strings, bodies or headers; the
// route is the client's path when no route matched it, so it is cut to a bound (log-text.ts).
import type { RequestHandler } from "express";
import type { Logger } from "winston";
import type { IntegrationLogBuffer } from "../../audit/integration-log.js";
import type { RequestContext } from "../../context.js";
import { boundLogText } from "../../log-text.js";

/** Mirrors SCIM_PREFIX of app.ts (not imported: app.ts imports this module). */
const SCIM_MOUNT = "/scim/v2";

/**
 * The route pattern and the path as the client sent them. At "finish", express has restored
 * req.baseUrl and req.path to the app's when the response was sent after leaving a router (errors
 * are rendered at app level), and left them router-relative otherwise: neither is reliable alone.
 */
export function routeAndPath(req: Parameters<RequestHandler>[0]): { route: string; path: string } {
  const path = req.originalUrl.split("?")[0];
  const inScim = path.toLowerCase() === SCIM_MOUNT || path.toLowerCase().startsWith(`${SCIM_MOUNT}/`);
  if (req.route?.path) return { route: `${req.baseUrl || (inScim ? SCIM_MOUNT : "")}${req.route.path}`, path };
  return { route: inScim ? "unmatched" : path, path };
}

export function requestLog(logger: Logger, integrationLog: IntegrationLogBuffer): RequestHandler {
  return (req, res, next) => {
    // "finish" when the response was handed over whole; "close" alone when the connection ended
    // first (the client left, or a streamed response was cut): logged once, marked incomplete.
    let logged = false;
    const log = () => {
      if (logged) return;
      logged = true;
      const started = res.locals.startedAt as bigint;
      const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
      const ctx = res.locals.ctx as RequestContext | undefined;
      const { route, path } = routeAndPath(req);
      const line = {
        requestId: res.locals.requestId, tenant: ctx?.tenant.slug, tokenId: ctx?.tokenId,
        method: req.method, route: boundLogText(route), status: res.statusCode, latencyMs: Math.round(latencyMs * 10) / 10,
        ...(res.writableFinished ? {} : { incomplete: true }),
      };
      // winston formats a line before its transports drop it by level: not built when not logged.
      if (res.statusCode >= 500) logger.error("request", line);
      else if (logger.isLevelEnabled("info")) logger.info("request", line);
      if (ctx && !res.locals.integrationLogged) {
        integrationLog.record({
          tenantId: ctx.tenant.id, at: ctx.now, tokenId: ctx.tokenId, requestId: ctx.requestId,
          method: req.method, path, status: res.statusCode, durationMs: latencyMs,
          resourceId: (res.locals.resourceId as string | undefined) ?? null,
          results: typeof res.locals.results === "number" ? res.locals.results : null,
        });
      }
    };
    res.on("finish", log);
    res.on("close", log);
    next();
  };
}
