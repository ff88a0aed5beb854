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
