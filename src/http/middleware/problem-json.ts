// RFC 9457 problem details for the HR API (/hr/v1): every error, authentication, 429 and 503
// included, is application/problem+json {type, title, status, detail, errors: [{path, message}]}.
// A deliberate exception to the SCIM error body, which stays for /scim/v2. HrProblems carry their
// field errors; every other error is classified as render-error does and keeps its headers
// (WWW-Authenticate, Retry-After).
import { STATUS_CODES } from "node:http";
import type { ErrorRequestHandler, Response } from "express";
import type { Logger } from "winston";
import { HrProblem, type FieldError } from "../../hr/write/problem.js";
import { classifyError } from "./render-error.js";

export const PROBLEM_CONTENT_TYPE = "application/problem+json; charset=utf-8";

export function sendProblem(res: Response, status: number, title: string, errors: FieldError[], detail?: string, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  const body: Record<string, unknown> = { type: "about:blank", title: STATUS_CODES[status] ?? "Error", status };
  body.detail = detail ?? title;
  body.errors = errors;
  res.status(status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

export function renderProblem(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof HrProblem && err.status < 500) {
      res.locals.errorDetail = "problem";
      if (res.headersSent) return;
      sendProblem(res, err.status, err.title, err.errors, undefined, err.headers);
      return;
    }
    const error = classifyError(err, logger, req, res);
    res.locals.errorDetail = error.status < 500 ? "problem" : "internal";
    if (res.headersSent) return;
    sendProblem(res, error.status, error.detail, [], error.detail, error.headers);
  };
}
