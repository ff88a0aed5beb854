// The HR API's batch (POST /hr/v1/batch): up to MAX_BATCH_OPERATIONS PUT or DELETE operations applied
// in order in the caller's HR transaction, all or nothing. The first refused operation stops the
// batch with BatchRefused, which carries every operation's result (the ones before it marked as not
// applied, the ones after it as not attempted), so that the caller rolls back and reports them.
import type { Knex } from "knex";
import { applyOperation, parseOperation } from "./operations.js";
import { HrProblem, invalidRecord, type FieldError } from "./problem.js";
import type { RecordType } from "./records.js";

export const MAX_BATCH_OPERATIONS = 1000;

const OPERATION_PATH = /^\/(legal-units|establishments|departments|employees)\/([^/]+)$/;

export type BatchResult = Record<string, unknown> & { status: number };

export class BatchRefused extends Error {
  constructor(readonly problem: HrProblem, readonly results: BatchResult[]) {
    super(problem.title);
    this.name = "BatchRefused";
  }
}

/** The operations of a batch body, or a 400 when it holds none or too many. */
export function batchOperations(body: unknown): unknown[] {
  const operations = (body as { operations?: unknown } | undefined)?.operations;
  if (!Array.isArray(operations) || operations.length === 0 || operations.length > MAX_BATCH_OPERATIONS) {
    throw invalidRecord([{ path: "/operations", message: `must be an array of 1 to ${MAX_BATCH_OPERATIONS} operations` }]);
  }
  return operations;
}

/** One operation {method, path, body}: its method and path checked. */
function parseBatchOperation(op: unknown) {
  if (!op || typeof op !== "object") throw invalidRecord([{ path: "", message: "must be an object {method, path, body}" }]);
  const { method, path, body } = op as { method?: unknown; path?: unknown; body?: unknown };
  const errors: FieldError[] = [];
  if (method !== "PUT" && method !== "DELETE") errors.push({ path: "/method", message: "must be PUT or DELETE" });
  const match = typeof path === "string" ? OPERATION_PATH.exec(path) : null;
  if (!match) errors.push({ path: "/path", message: "must be /<legal-units|establishments|departments|employees>/<key>" });
  if (errors.length) throw invalidRecord(errors);
  let key: string;
  try { key = decodeURIComponent(match![2]); } catch { throw invalidRecord([{ path: "/path", message: "holds a malformed percent-encoding" }]); }
  return { method: method as "PUT" | "DELETE", type: match![1] as RecordType, key, body };
}

/** Parses and applies one operation; what its record is refused for is under /body. */
async function applyBatchOperation(trx: Knex, tenantId: number, now: Date, op: unknown): Promise<BatchResult> {
  const { method, type, key, body } = parseBatchOperation(op);
  try {
    const result = await applyOperation(trx, tenantId, now, parseOperation(method, type, key, body));
    return { status: result.status, outcome: result.outcome, ...(result.body ? { body: result.body } : {}) };
  } catch (e) {
    throw e instanceof HrProblem ? e.under("/body") : e;
  }
}

/**
 * Applies the operations in order in `trx` and returns their results; the first refusal (an
 * HrProblem below 500) throws BatchRefused. Other errors propagate as they are.
 */
export async function applyBatch(trx: Knex, tenantId: number, now: Date, operations: unknown[]): Promise<BatchResult[]> {
  const results: BatchResult[] = [];
  for (let i = 0; i < operations.length; i++) {
    try {
      results.push(await applyBatchOperation(trx, tenantId, now, operations[i]));
    } catch (error) {
      const problem = error instanceof HrProblem && error.status < 500 ? error.under(`/operations/${i}`) : null;
      if (!problem) throw error;
      // Nothing is applied: the operations before report what they would have done.
      const before = results.map((r) => ({ ...r, applied: false }));
      const after = operations.slice(i + 1).map(() => ({ status: 424, title: "Not attempted: an earlier operation failed" }));
      throw new BatchRefused(problem, [...before, { status: problem.status, title: problem.title, errors: problem.errors }, ...after]);
    }
  }
  return results;
}
