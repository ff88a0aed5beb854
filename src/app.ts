// The express application: middleware order and routes. Everything it needs is passed in.
import crypto from "node:crypto";
import express, { type Express } from "express";
import type { Knex } from "knex";
import type { Logger } from "winston";
import { IntegrationLogBuffer } from "./audit/integration-log.js";
import { DEFAULT_TOKEN_CACHE_MS, VerifiedTokenCache } from "./auth/verified-token-cache.js";
import type { Clock } from "./clock.js";
import { poolSizeOf } from "./db/database.js";
import { ReadRouting } from "./db/read-routing.js";
import { authenticate } from "./http/middleware/authenticate.js";
import { answerOptions } from "./http/middleware/options-request.js";
import { renderError } from "./http/middleware/render-error.js";
import { requestId } from "./http/middleware/request-id.js";
import { rateLimit } from "./http/middleware/rate-limit.js";
import { requestLog } from "./http/middleware/request-log.js";
import { responseHeaders } from "./http/middleware/response-headers.js";
import { scimJsonBody, scimResponseType, sendScim } from "./http/middleware/scim-json.js";
import { defaultTenantConcurrency, tenantConcurrency, type TenantConcurrencyLimits } from "./http/middleware/tenant-concurrency.js";
import { discoveryRouter } from "./http/routes/discovery.js";
import { groupsRouter } from "./http/routes/groups.js";
import { healthRouter } from "./http/routes/health.js";
import { rootSearchRouter } from "./http/routes/search.js";
import { usersRouter } from "./http/routes/users.js";
import { ADMIN_API_PREFIX, adminApiRouter } from "./http/routes/admin/index.js";
import { consoleRouter } from "./http/routes/console.js";
import { createEntraContext, type EntraContext } from "./connectors/entra/context.js";
import { Notifier } from "./notifications/notifier.js";
import { metricsEndpoint, type Metrics } from "./http/metrics.js";
import { webhookPoster } from "./notifications/webhook.js";
import { deriveKey } from "./crypto/secret-key.js";
import { CursorCodec } from "./scim/cursor.js";
import { boundLogText } from "./log-text.js";
import { forbidden, notFound } from "./scim/errors.js";
import { contextOf } from "./http/middleware/authenticate.js";
import { renderProblem } from "./http/middleware/problem-json.js";
import { HR_PREFIX, hrRouter } from "./http/routes/hr.js";
import { HrProblem } from "./hr/write/problem.js";
import { isHrToken } from "./auth/permissions.js";
import type { GroupLimits } from "./scim/services/groups.js";
import type { RateLimit } from "./hr/tenant-settings.js";

export interface AppDependencies {
  db: Knex;
  /** A streaming replica of db (READ_DATABASE_URL): SCIM reads go there when it is far enough (db/read-routing.ts). */
  readDb?: Knex;
  clock: Clock;
  logger: Logger;
  integrationLog: IntegrationLogBuffer;
  /** Public base URL (BASE_URL); else derived from each request's Host. */
  baseUrl?: string;
  /** Member chunk size of /Groups (tests lower it). */
  groupLimits?: GroupLimits;
  /**
   * The deployment's secret key (HR_SCIM_SECRET_KEY), from which cursor keys are derived. Without
   * it a random key is used: cursors then do not survive a restart or reach another process.
   */
  secretKey?: Buffer;
  /** Per-token rate limit of tenants that set none (default: DEFAULT_RATE_LIMIT). */
  defaultRateLimit?: RateLimit;
  /** Requests of one tenant in flight and waiting (tenant-concurrency.ts); by default derived from db's pool size. */
  tenantConcurrency?: TenantConcurrencyLimits;
  /** Prometheus metrics (src/http/metrics.ts); METRICS_TOKEN guards /metrics on this port. */
  metrics?: Metrics;
  metricsToken?: string;
  /** The Entra connector's context for the admin API's test and run now (default: one of this app's own). */
  entra?: EntraContext;
  /**
   * How long a verified token and its tenant are kept in process (auth/verified-token-cache.ts;
   * default 5 s, 0 for never). Not used with readDb: read routing needs the token's last write
   * position as stored, on every request.
   */
  tokenCacheMs?: number;
}

export const SCIM_PREFIX = "/scim/v2";

export function createApp(deps: AppDependencies): Express {
  const secretKey = deps.secretKey ?? crypto.randomBytes(32);
  const cursorCodec = new CursorCodec(deriveKey(secretKey, "cursor"));
  let entra = deps.entra;
  const entraContext = () => entra ??= createEntraContext({
    db: deps.db, secretKey, logger: deps.logger, now: deps.clock,
    notifier: new Notifier({ db: deps.db, logger: deps.logger, now: deps.clock, postJson: webhookPoster() }),
  });
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false); // resources carry their own ETag (meta.version); none on lists and errors
  app.set("query parser", "extended");
  // A base URL given with a trailing slash ("https://host/scim/v2/") makes clients ask for
  // "/scim/v2//Users" (docs/CLIENTS.md item 20): repeated slashes in the path count as one.
  app.use((req, _res, next) => {
    const q = req.url.indexOf("?");
    const path = q === -1 ? req.url : req.url.slice(0, q);
    if (path.includes("//")) req.url = path.replace(/\/{2,}/g, "/") + (q === -1 ? "" : req.url.slice(q));
    next();
  });
  if (deps.metrics) app.use(deps.metrics.middleware);
  app.use(requestId);
  app.use(requestLog(deps.logger, deps.integrationLog));
  app.use(responseHeaders);
  app.use(answerOptions(SCIM_PREFIX));
  app.use(healthRouter(deps.db));
  if (deps.metrics) app.get("/metrics", metricsEndpoint(deps.metrics, deps.metricsToken));

  const scim = express.Router({ caseSensitive: false });
  scim.use(scimResponseType);
  scim.use(scimJsonBody);
  scim.get("/", (_req, res) => {
    sendScim(res, 200, {
      detail: "This is the hr-scim SCIM 2.0 base URL. Give it to your identity provider as is; resources are below it.",
      endpoints: ["/Users", "/Groups", "/ServiceProviderConfig", "/ResourceTypes", "/Schemas", "/.search"],
      authentication: "Authorization: Bearer <token issued by your tenant admin>",
    });
  });
  const tokenCache = new VerifiedTokenCache(deps.readDb ? 0 : deps.tokenCacheMs ?? DEFAULT_TOKEN_CACHE_MS);
  const authenticated = authenticate({ db: deps.db, clock: deps.clock, logger: deps.logger, baseUrl: deps.baseUrl, cursorCodec, tokenCache });
  scim.use(authenticated);
  scim.use((_req, res, next) => {
    if (isHrToken(contextOf(res).permissions)) throw forbidden("This is an HR token (hr:write): it feeds the HR API under /hr/v1 and cannot use /scim/v2. Use a SCIM token.");
    next();
  });
  // One rate limiter and one concurrency limiter for both APIs: a token's buckets and a tenant's
  // slots are the same whichever API it calls.
  const limitRate = rateLimit({ clock: deps.clock, defaultLimit: deps.defaultRateLimit });
  const limitConcurrency = tenantConcurrency(deps.tenantConcurrency ?? defaultTenantConcurrency(poolSizeOf(deps.db)));
  scim.use(limitRate);
  scim.use(limitConcurrency);
  scim.use(discoveryRouter());
  const reads = new ReadRouting(deps.db, deps.readDb);
  scim.use(usersRouter(reads));
  scim.use(groupsRouter(reads, deps.groupLimits));
  scim.use(rootSearchRouter(reads, deps.groupLimits));
  scim.use((req) => {
    // The client's path is echoed bounded: a request line may hold 64 KiB.
    throw notFound(`No SCIM endpoint at ${req.method} ${SCIM_PREFIX}${boundLogText(req.path, 100)}. Endpoints: /Users, /Groups, /ServiceProviderConfig, /ResourceTypes, /Schemas.`);
  });
  app.use(SCIM_PREFIX, scim);

  const hr = express.Router({ caseSensitive: false });
  hr.use(authenticated);
  hr.use((_req, res, next) => {
    if (!isHrToken(contextOf(res).permissions)) throw forbidden("The HR API needs an HR token (hr:write); SCIM tokens cannot use it. Issue one with: token issue --tenant <slug> --name <name> --permission hr:write");
    next();
  });
  hr.use(limitRate);
  hr.use(limitConcurrency);
  hr.use(hrRouter(deps.db));
  hr.use((req) => {
    throw new HrProblem(404, `No HR endpoint at ${req.method} ${HR_PREFIX}${boundLogText(req.path, 100)}. See openapi.yaml (tag HR).`);
  });
  hr.use(renderProblem(deps.logger));
  app.use(HR_PREFIX, hr);

  app.use(ADMIN_API_PREFIX, adminApiRouter({
    db: deps.db, clock: deps.clock, logger: deps.logger, csrfKey: deriveKey(secretKey, "admin-csrf"), baseUrl: deps.baseUrl, entra: entraContext,
  }));
  app.use("/admin", consoleRouter());

  app.use(() => {
    throw notFound(`Not found. The SCIM base URL is ${SCIM_PREFIX}`);
  });
  app.use(renderError(deps.logger));
  return app;
}
