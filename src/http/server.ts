// The HTTP server around the app: socket limits (slow clients, connection cap), answers to what Node
// refuses before express sees it, and the graceful close at SIGTERM.
// Node answers requests it cannot parse (a request line or headers over its limit, a malformed
// request, a request not received within the timeouts) with a bare status line; this server answers
// them as SCIM errors too (docs/CLIENTS.md items 18 and 22), and takes request lines long enough for the
// longest filter the app accepts (10,000 characters, percent-encoded).
import http, { type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { Express } from "express";
import { DEFAULT_HTTP_LIMITS } from "../config.js";
import { SCIM_CONTENT_TYPE } from "./middleware/scim-json.js";
import { RESPONSE_HEADERS } from "./middleware/response-headers.js";

const MAX_HEADER_BYTES = 64 * 1024;

/** See config.ts (HR_SCIM_*_TIMEOUT_MS, HR_SCIM_MAX_CONNECTIONS) for the defaults and why. */
export interface HttpLimits {
  /** Time to receive the request line and headers. */
  headersTimeoutMs: number;
  /** Time to receive the whole request, body included. Node stops counting once the request is in: it never cuts a response. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** Connections beyond it are closed as soon as they are accepted (no response). */
  maxConnections: number;
}

function scimErrorResponse(status: number, reason: string, detail: string): string {
  const body = JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: String(status), detail });
  const headers = Object.entries(RESPONSE_HEADERS).map(([name, value]) => `${name}: ${value}\r\n`).join("");
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${SCIM_CONTENT_TYPE}\r\n${headers}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

function clientErrorResponse(code: string | undefined): string {
  switch (code) {
    case "HPE_HEADER_OVERFLOW":
      return scimErrorResponse(431, "Request Header Fields Too Large", `The request line and headers exceed ${MAX_HEADER_BYTES / 1024} KiB. Send long filters in the body of POST /Users/.search or /Groups/.search.`);
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return scimErrorResponse(408, "Request Timeout", "The request was not received in time.");
    default:
      return scimErrorResponse(400, "Bad Request", "The HTTP request could not be parsed.");
  }
}

export function createServer(app: Express, limits: HttpLimits = DEFAULT_HTTP_LIMITS): Server {
  const server = http.createServer({
    maxHeaderSize: MAX_HEADER_BYTES,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    // Node checks both timeouts on this period (30 s by default, which would let a 10 s limit run to 40 s).
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
  }, app);
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  const state: ServerState = { closing: false, inFlight: new Set() };
  states.set(server, state);
  // Before the app, so that a request arriving while the server closes is answered with Connection: close.
  server.prependListener("request", (_req: IncomingMessage, res: ServerResponse) => {
    state.inFlight.add(res);
    res.once("close", () => state.inFlight.delete(res));
    if (state.closing) closeAfterResponse(server, res);
  });
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Duplex) => {
    // As Node's own handler: nothing may be written into a response already under way.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
    if (!socket.writable || inFlight) return socket.destroy();
    socket.end(clientErrorResponse(err.code));
  });
  // An Expect header other than 100-continue: Node would answer a bare 417 without the app.
  server.on("checkExpectation", (_req: IncomingMessage, res: ServerResponse) => {
    const body = JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "417", detail: "Only the expectation 100-continue is supported." });
    res.writeHead(417, { "Content-Type": SCIM_CONTENT_TYPE, ...RESPONSE_HEADERS, "Content-Length": Buffer.byteLength(body), Connection: "close" });
    res.end(body);
  });
  return server;
}

interface ServerState {
  closing: boolean;
  inFlight: Set<ServerResponse>;
}

const states = new WeakMap<Server, ServerState>();

/** Makes the connection of a response close once the response is sent (instead of staying for keep-alive). */
function closeAfterResponse(server: Server, res: ServerResponse): void {
  if (!res.headersSent) {
    res.setHeader("Connection", "close");
    return;
  }
  // Its headers already announced keep-alive: close the connection once it is idle.
  const closeIdle = () => setImmediate(() => server.closeIdleConnections());
  if (res.writableFinished) closeIdle();
  else res.once("finish", closeIdle);
}

/**
 * Stops accepting connections and lets the requests in flight finish, closing each connection once
 * its response is sent (Node would otherwise keep a busy keep-alive connection open for its idle
 * timeout). After `timeoutMs`, the connections left are cut. Resolves true when everything finished
 * in time, false when connections had to be cut.
 */
export function closeGracefully(server: Server, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let drained = true;
    const timer = setTimeout(() => {
      drained = false;
      server.closeAllConnections();
    }, timeoutMs);
    server.close(() => {
      clearTimeout(timer);
      resolve(drained);
    });
    server.closeIdleConnections();
    const state = states.get(server);
    if (!state) return;
    state.closing = true;
    for (const res of state.inFlight) closeAfterResponse(server, res);
  });
}
