// The HTTP server around the app. Node answers requests it cannot parse (a request line or headers
// over its limit, a malformed request) before express sees them, with a bare status line; this
// server answers them as SCIM errors too (clients.md items 18 and 22), and takes request lines long
// enough for the longest filter the app accepts (10,000 characters, percent-encoded).
import http, { type Server } from "node:http";
import type { Duplex } from "node:stream";
import type { Express } from "express";
import { SCIM_CONTENT_TYPE } from "./middleware/scim-json.js";

const MAX_HEADER_BYTES = 64 * 1024;

function scimErrorResponse(status: number, reason: string, detail: string): string {
  const body = JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: String(status), detail });
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${SCIM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

export function createServer(app: Express): Server {
  const server = http.createServer({ maxHeaderSize: MAX_HEADER_BYTES }, app);
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Duplex) => {
    // As Node's own handler: nothing may be written into a response already under way.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
    if (!socket.writable || inFlight) return socket.destroy();
    const response = err.code === "HPE_HEADER_OVERFLOW"
      ? scimErrorResponse(431, "Request Header Fields Too Large", `The request line and headers exceed ${MAX_HEADER_BYTES / 1024} KiB. Send long filters in the body of POST /Users/.search or /Groups/.search.`)
      : scimErrorResponse(400, "Bad Request", "The HTTP request could not be parsed.");
    socket.end(response);
  });
  return server;
}
