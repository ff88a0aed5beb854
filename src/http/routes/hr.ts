// /hr/v1: the HR API (issue 11). Thin routes over hr/write (one write path) and hr/changes; every
// error is problem+json (problem-json.ts), field errors as {path, message}. HR tokens only
// (hr:write); the write transaction records the token as the changes' actor.
import express, { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { readChanges } from "../../hr/changes.js";
import { importCsv } from "../../hr/import/csv-import.js";
import { withSpooledBody } from "../upload-spool.js";
import { listEmployees } from "../../hr/write/employees.js";
import { applyBatch, BatchRefused, batchOperations } from "../../hr/write/batch.js";
import { applyOperation, checkKey, isRecordType, parseOperation, readRecord } from "../../hr/write/operations.js";
import { HrProblem, hrNotFound, invalidRecord } from "../../hr/write/problem.js";
import { hrTransaction, type HrWriter } from "../../hr/write/session.js";
import { BULK_WRITE_STATEMENT_TIMEOUT_MS, withStatementTimeout } from "../../db/statement-timeout.js";
import { contextOf } from "../middleware/authenticate.js";
import { PROBLEM_CONTENT_TYPE } from "../middleware/problem-json.js";

export const HR_PREFIX = "/hr/v1";
/** An import's body limit: a 100,000-row file is about 15 MB. */
export const MAX_IMPORT_BYTES = 100 * 1024 * 1024;

const jsonBody = (limit: string) => express.json({ type: ["application/json", "application/*+json"], limit, strict: false });

function sendJson(res: Response, status: number, body: unknown): void {
  if (body === null) { res.status(status).end(); return; }
  res.status(status).type("application/json; charset=utf-8").send(JSON.stringify(body));
}

function writerOf(res: Response) {
  const ctx = contextOf(res);
  return { tenantId: ctx.tenant.id, actor: `token:${ctx.tokenId}`, now: ctx.now };
}

/**
 * An HR API write transaction, under the bulk-write statement bound: a write's size is bounded by
 * its request, but renaming a legal unit or department touches every employee under it (migration
 * 005), about 2 s for 25,000 employees: past a request's 10 s for a legal unit of 130,000.
 */
function hrApiTransaction<T>(db: Knex, writer: HrWriter, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return hrTransaction(db, writer, async (trx) => {
    await withStatementTimeout(trx, BULK_WRITE_STATEMENT_TIMEOUT_MS);
    return work(trx);
  });
}

function queryText(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw invalidRecord([{ path: `?${name}`, message: "must be given once, as text" }]);
  return value;
}

function limitParam(req: Request, fallback: number, max: number): number {
  const text = queryText(req, "limit");
  if (text === undefined) return fallback;
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > max) throw invalidRecord([{ path: "?limit", message: `must be an integer from 1 to ${max}` }]);
  return Number(text);
}

function decodeEmployeeCursor(text: string): { at: string; id: number } {
  try {
    const value = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as { at?: unknown; id?: unknown };
    if (typeof value.at === "string" && !Number.isNaN(Date.parse(value.at)) && Number.isSafeInteger(value.id)) return { at: value.at, id: value.id as number };
  } catch { /* refused below */ }
  throw invalidRecord([{ path: "?cursor", message: "is not a cursor this API returned" }]);
}

/** The record type of a URL segment, or 404. */
function recordType(segment: string) {
  if (!isRecordType(segment)) throw new HrProblem(404, `No HR endpoint at /${segment}: use legal-units, establishments, departments or employees`);
  return segment;
}

export function hrRouter(db: Knex): Router {
  const router = Router();

  router.get("/changes", async (req: Request, res: Response) => {
    const after = queryText(req, "after");
    if (after !== undefined && !/^\d{1,18}$/.test(after)) throw invalidRecord([{ path: "?after", message: "must be a cursor (nextCursor) this API returned, or 0" }]);
    const page = await readChanges(db, contextOf(res).tenant.id, { after: after ?? "0", limit: limitParam(req, 500, 1000) });
    sendJson(res, 200, page);
  });

  router.get("/employees", async (req: Request, res: Response) => {
    const sinceText = queryText(req, "updatedSince");
    const since = sinceText === undefined ? null : new Date(sinceText);
    if (since && (Number.isNaN(since.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(sinceText!))) {
      throw invalidRecord([{ path: "?updatedSince", message: "must be an ISO 8601 instant such as 2026-01-31T00:00:00Z" }]);
    }
    const cursor = queryText(req, "cursor");
    const page = await listEmployees(db, contextOf(res).tenant.id, {
      since, after: cursor ? decodeEmployeeCursor(cursor) : null, limit: limitParam(req, 100, 1000),
    });
    sendJson(res, 200, { items: page.items, nextCursor: page.next ? Buffer.from(JSON.stringify(page.next)).toString("base64url") : null });
  });

  router.post("/batch", jsonBody("20mb"), async (req: Request, res: Response) => {
    const operations = batchOperations(req.body);
    const writer = writerOf(res);
    try {
      const results = await hrApiTransaction(db, writer, (trx) => applyBatch(trx, writer.tenantId, writer.now, operations));
      sendJson(res, 200, { results });
    } catch (error) {
      if (!(error instanceof BatchRefused)) throw error;
      res.status(error.problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify({
        type: "about:blank", title: "The batch was refused; nothing was applied", status: error.problem.status,
        detail: error.problem.title, errors: error.problem.errors, results: error.results,
      }));
    }
  });

  router.post("/imports", async (req: Request, res: Response) => {
    if (!req.is("text/csv")) throw new HrProblem(415, "Send the file as text/csv (UTF-8, comma or semicolon separated, with a header line)");
    const flag = (name: string) => {
      const text = queryText(req, name);
      if (text === undefined || text === "false") return false;
      if (text === "true") return true;
      throw invalidRecord([{ path: `?${name}`, message: "must be true or false" }]);
    };
    const snapshot = flag("snapshot");
    const removeAbsent = flag("removeAbsent");
    if (removeAbsent && !snapshot) throw invalidRecord([{ path: "?removeAbsent", message: "needs snapshot=true (the file is then the whole population)" }]);
    const ctx = contextOf(res);
    const { actor } = writerOf(res);
    const dryRun = flag("dryRun");
    const tooLarge = () => new HrProblem(413, `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it`);
    const report = await withSpooledBody(req, MAX_IMPORT_BYTES, tooLarge, (body) => importCsv(db, body, {
      tenant: ctx.tenant, actor, now: ctx.now, dryRun, snapshot, removeAbsent,
    }));
    if (report.errors.length) {
      res.status(422).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify({
        type: "about:blank", title: "The file was refused; nothing was imported", status: 422, detail: "The file was refused; nothing was imported",
        ...report, errors: report.errors.map((e) => ({ path: `/lines/${e.line}/${e.column}`, ...e })),
      }));
      return;
    }
    sendJson(res, 200, report);
  });

  router.get("/:type/:key", async (req: Request, res: Response) => {
    const type = recordType(String(req.params.type));
    const key = String(req.params.key);
    checkKey(key);
    const record = await readRecord(db, contextOf(res).tenant.id, type, key);
    if (!record) throw hrNotFound(`The ${type.replace(/s$/, "").replace("-", " ")} of this key`);
    sendJson(res, 200, record);
  });

  router.put("/:type/:key", jsonBody("1mb"), async (req: Request, res: Response) => {
    const op = parseOperation("PUT", recordType(String(req.params.type)), String(req.params.key), req.body);
    const writer = writerOf(res);
    const result = await hrApiTransaction(db, writer, (trx) => applyOperation(trx, writer.tenantId, writer.now, op));
    sendJson(res, result.status, result.body);
  });

  router.delete("/:type/:key", async (req: Request, res: Response) => {
    const op = parseOperation("DELETE", recordType(String(req.params.type)), String(req.params.key), undefined);
    const writer = writerOf(res);
    const result = await hrApiTransaction(db, writer, (trx) => applyOperation(trx, writer.tenantId, writer.now, op));
    sendJson(res, result.status, result.body);
  });

  return router;
}
