// Request id: the client's X-Request-Id when it looks sane, else a new one; echoed in the response.
import crypto from "node:crypto";
import type { RequestHandler } from "express";

const SANE = /^[A-Za-z0-9._:-]{1,128}$/;

export const requestId: RequestHandler = (req, res, next) => {
  const incoming = req.get("x-request-id");
  const id = incoming && SANE.test(incoming) ? incoming : crypto.randomUUID();
  res.locals.requestId = id;
  res.locals.startedAt = process.hrtime.bigint();
  res.setHeader("X-Request-Id", id);
  next();
};
