// Content types (docs/CLIENTS.md items 18-19): every response is application/scim+json; bodies are read
// as application/scim+json or application/json, with or without charset.
import express, { type RequestHandler } from "express";
import { DeferredArray } from "../../scim/deferred-array.js";

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

/**
 * Sends a JSON body with the SCIM content type (res.json would reset it to application/json).
 * A body holding DeferredArrays (scim/deferred-array) is streamed: the text around them is written
 * as it comes, and each array chunk by chunk as its producer emits them, waiting for the client to
 * drain each one, so that memory holds one chunk whatever the array's size. Other bodies are sent
 * whole, with a Content-Length.
 */
export async function sendScim(res: express.Response, status: number, body: unknown): Promise<void> {
  const deferred: DeferredArray[] = [];
  const text = JSON.stringify(body, (_key, value: unknown) => {
    if (!(value instanceof DeferredArray)) return value;
    deferred.push(value);
    // NUL cannot occur in HR text (PostgreSQL text refuses it), so the marker cannot be forged.
    return `\u0000deferred:${deferred.length - 1}`;
  });
  res.status(status).type(SCIM_CONTENT_TYPE);
  if (deferred.length === 0) {
    res.send(text);
    return;
  }
  const parts = text.split(/"\\u0000deferred:(\d+)"/); // text, index, text, index, ..., text
  try {
    for (let i = 0; i < parts.length; i++) {
      if (i % 2 === 0) {
        await write(res, parts[i]);
        continue;
      }
      let first = true;
      await write(res, "[");
      await deferred[Number(parts[i])].produce(async (items) => {
        if (items.length === 0) return;
        const chunk = items.map((item) => JSON.stringify(item)).join(",");
        await write(res, first ? chunk : `,${chunk}`);
        first = false;
      });
      await write(res, "]");
    }
    res.end();
  } catch (err) {
    if (err instanceof ClientGone) return;
    // The status line is gone: the only honest signal left is a cut connection (never a partial body
    // that parses). render-error logs the error and sends nothing once headers are sent.
    res.destroy();
    throw err;
  }
}

class ClientGone extends Error {}

/** Writes text, resolving once the socket can take more (backpressure); rejects when the client left. */
function write(res: express.Response, text: string): Promise<void> {
  if (res.destroyed || res.writableEnded) return Promise.reject(new ClientGone());
  if (res.write(text)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (gone: boolean) => {
      res.off("drain", onDrain);
      res.off("close", onClose);
      if (gone) reject(new ClientGone());
      else resolve();
    };
    const onDrain = () => done(false);
    const onClose = () => done(true);
    res.on("drain", onDrain);
    res.on("close", onClose);
  });
}

/**
 * Sends one resource with its ETag, or 304 when If-None-Match names it (RFC 7232 section 3.2, as
 * RFC 7644 section 3.14 uses it).
 */
export async function sendResource(req: express.Request, res: express.Response, resource: unknown, version: string): Promise<void> {
  res.setHeader("ETag", version);
  const ifNoneMatch = req.get("if-none-match");
  // Weak comparison (RFC 7232 section 2.3.2): W/"x" and "x" name the same version.
  const opaque = (tag: string) => tag.trim().replace(/^W\//i, "");
  if (ifNoneMatch && ifNoneMatch.split(",").some((v) => v.trim() === "*" || opaque(v) === opaque(version))) {
    res.status(304).end();
    return;
  }
  await sendScim(res, 200, resource);
}
