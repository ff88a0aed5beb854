// What the connector runs with in a process: the store, the deployment secret key, the clock and
// network (injectable: tests move time and answer as Graph would), the notifier, and the token
// cache (one client per connection, so a token serves every run until shortly before it expires).
import crypto from "node:crypto";
import type { Knex } from "knex";
import type { Logger } from "winston";
import type { Notifier } from "../../notifications/notifier.js";
import { openClientSecret } from "./client-secret.js";
import type { EntraConnection } from "./connection-store.js";
import { DEFAULT_GRAPH_CLIENT_OPTIONS, GraphClient, type GraphClientOptions } from "./graph-client.js";
import { realSleep, type FetchLike, type HttpDeps, type Sleep } from "./http.js";
import { DAILY_CALL_BUDGET } from "./settings.js";
import { TokenClient } from "./token-client.js";

export interface EntraContext {
  db: Knex;
  secretKey: Buffer;
  logger: Logger;
  notifier: Notifier;
  http: HttpDeps;
  /** Names this process in leases. */
  instanceId: string;
  /** A run's lease lasts this long unless renewed (it is renewed after every batch). */
  leaseMs: number;
  /** false: no pacing at all (the benchmark measures hr-scim alone). */
  pacing: boolean;
  dailyBudget: number;
  graphOptions: GraphClientOptions;
  /** A failed run is retried by the scheduler after this long. */
  failedRetryMs: number;
  /** Employees read and built per query while sending (the people query has a fixed cost per call). */
  pageSize: number;
  tokenClients: Map<string, TokenClient>;
  /** Set when the process stops: runs end after the batch in flight and resume later. */
  stopping: { requested: boolean };
}

export interface EntraContextInput {
  db: Knex;
  secretKey: Buffer;
  logger: Logger;
  notifier: Notifier;
  fetch?: FetchLike;
  sleep?: Sleep;
  now?: () => Date;
  random?: () => number;
  requestTimeoutMs?: number;
  instanceId?: string;
  leaseMs?: number;
  pacing?: boolean;
  dailyBudget?: number;
  graphOptions?: Partial<GraphClientOptions>;
  failedRetryMs?: number;
  pageSize?: number;
}

export function createEntraContext(input: EntraContextInput): EntraContext {
  return {
    db: input.db,
    secretKey: input.secretKey,
    logger: input.logger,
    notifier: input.notifier,
    http: {
      fetch: input.fetch ?? ((url, init) => fetch(url, init)),
      sleep: input.sleep ?? realSleep,
      now: input.now ?? (() => new Date()),
      random: input.random ?? Math.random,
      requestTimeoutMs: input.requestTimeoutMs ?? 100_000,
    },
    instanceId: input.instanceId ?? `${process.pid}-${crypto.randomUUID().slice(0, 8)}`,
    leaseMs: input.leaseMs ?? 120_000,
    pacing: input.pacing ?? true,
    dailyBudget: input.dailyBudget ?? DAILY_CALL_BUDGET,
    graphOptions: { ...DEFAULT_GRAPH_CLIENT_OPTIONS, ...input.graphOptions },
    failedRetryMs: input.failedRetryMs ?? 10 * 60 * 1000,
    pageSize: input.pageSize ?? 5000,
    tokenClients: new Map(),
    stopping: { requested: false },
  };
}

/** The token client of a connection (a new one when the connection was saved again). */
export function tokenClientFor(ctx: EntraContext, conn: EntraConnection): TokenClient {
  const key = `${conn.tenantId}:${conn.updatedAt.getTime()}`;
  let client = ctx.tokenClients.get(key);
  if (!client) {
    for (const k of ctx.tokenClients.keys()) if (k.startsWith(`${conn.tenantId}:`)) ctx.tokenClients.delete(k);
    client = new TokenClient({
      directoryId: conn.directoryId, clientId: conn.clientId, loginUrl: conn.loginUrl,
      clientSecret: () => openClientSecret(ctx.secretKey, conn.tenantId, conn.clientSecretSealed),
    }, ctx.http);
    ctx.tokenClients.set(key, client);
  }
  return client;
}

export function graphClientFor(ctx: EntraContext, conn: EntraConnection): GraphClient {
  return new GraphClient(conn, tokenClientFor(ctx, conn), ctx.http, ctx.graphOptions);
}
