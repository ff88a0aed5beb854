// Content types (clients.md items 18-19): every response is application/scim+json; bodies are read
// as application/scim+json or application/json, with or without charset.
import express, { type RequestHandler } from "express";

export const SCIM_CONTENT_TYPE = "application/scim+json; charset=utf-8";

export const scimResponseType: RequestHandler = (_req, res, next) => {
  res.setHeader("Content-Type", SCIM_CONTENT_TYPE);
  next();
};

export const scimJsonBody = express.json({
  type: ["application/json", "application/scim+json", "application/*+json"],
  limit: "1mb",
  strict: false,
});

/** Sends a JSON body with the SCIM content type (res.json would reset it to application/json). */
export function sendScim(res: express.Response, status: number, body: unknown): void {
  res.status(status).type(SCIM_CONTENT_TYPE).send(JSON.stringify(body));
}

/**
 * Sends one resource with its ETag, or 304 when If-None-Match names it (RFC 7232 section 3.2, as
 * RFC 7644 section 3.14 uses it).
 */
export function sendResource(req: express.Request, res: express.Response, resource: unknown, version: string): void {
  res.setHeader("ETag", version);
  const ifNoneMatch = req.get("if-none-match");
  if (ifNoneMatch && ifNoneMatch.split(",").map((v) => v.trim()).some((v) => v === version || v === "*")) {
    res.status(304).end();
    return;
  }
  sendScim(res, 200, resource);
}
