// Headers every response carries, the app's and the raw ones src/http/server.ts writes: SCIM
// responses hold personal data that no cache (browser, proxy) may keep, and no browser may sniff a
// content type other than the one declared. One rule for all responses, errors and health included.
import type { RequestHandler } from "express";

export const RESPONSE_HEADERS = {
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
} as const;

export const responseHeaders: RequestHandler = (_req, res, next) => {
  for (const [name, value] of Object.entries(RESPONSE_HEADERS)) res.setHeader(name, value);
  next();
};
