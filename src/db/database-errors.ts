// Which database errors are faults of the store rather than of the request: the database being
// unreachable or restarting ("unavailable"), or a statement stopped by statement_timeout
// ("timeout"), or a transaction PostgreSQL aborted to resolve a conflict with a concurrent one
// ("conflict"). Each is answered 503 with Retry-After; a request retried later may succeed.

export type DatabaseFault = "unavailable" | "timeout" | "conflict";

/** Socket errors of a server that is down, restarting or unreachable. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "EHOSTDOWN",
  "ENETUNREACH", "ENETDOWN", "ENOTFOUND", "EAI_AGAIN",
]);

/**
 * PostgreSQL SQLSTATEs (Appendix A): 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
 * cannot_connect_now (starting up or in recovery), 53300 too_many_connections; class 08 is
 * connection_exception.
 */
const UNAVAILABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);

/**
 * 57014 query_canceled (statement_timeout; hr-scim sends no other cancel), 25P03
 * idle_in_transaction_session_timeout.
 */
const TIMEOUT_SQLSTATES = new Set(["57014", "25P03"]);

/** 40P01 deadlock_detected, 40001 serialization_failure: the transaction was rolled back. */
const CONFLICT_SQLSTATES = new Set(["40P01", "40001"]);

/**
 * What node-postgres says, without a code, when a connection ends or cannot be had: the server
 * closed the socket, connectionTimeoutMillis passed, or the client broke earlier. knex prefixes
 * the message of a failed query with its SQL and " - "; only errors without a SQLSTATE are read
 * this way, so that a client value quoted in the SQL of a data error cannot pass for one.
 */
const UNAVAILABLE_MESSAGES = [
  /(^| - )Connection terminated/,
  /(^| - )timeout expired$/,
  /(^| - )Client (has encountered a connection error|was closed) and is not queryable$/,
];

/** The fault a database error is, or null for any other error (a data error, a bug). */
export function classifyDatabaseError(error: unknown): DatabaseFault | null {
  if (!error || typeof error !== "object") return null;
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === "string") {
    if (TIMEOUT_SQLSTATES.has(code)) return "timeout";
    if (CONFLICT_SQLSTATES.has(code)) return "conflict";
    if (UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code) || NETWORK_CODES.has(code)) return "unavailable";
    return null;
  }
  // knex's acquireConnectionTimeout passed: the pool is busy or connections cannot be made.
  if (name === "KnexTimeoutError") return "unavailable";
  if (typeof message === "string" && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return "unavailable";
  return null;
}
