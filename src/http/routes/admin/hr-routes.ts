// /admin/v1/tenants/{slug}/hr: the HR change feed (who changed which record, when, the field diff)
// and CSV imports run from the console, through the HR API's own services (hr/changes.ts,
// hr/import/csv-import.ts): a dry run reports what the file would do, then the same file is applied.
import { Router, type Request } from "express";
import type { Knex } from "knex";
import { recordAdminAction } from "../../../admin/admin-audit.js";
import { AdminProblem, badInput } from "../../../admin/problems.js";
import { requireRole } from "../../../admin/roles.js";
import { readChanges } from "../../../hr/changes.js";
import { importCsv } from "../../../hr/import/csv-import.js";
import { withSpooledBody } from "../../upload-spool.js";
import { adminContextOf } from "../../middleware/admin-auth.js";
import { intParam, stringParam } from "./params.js";
import { tenantOf } from "./tenant-routes.js";

/** A console upload: smaller than the HR API's (100 MB), it is read by a browser first. */
const MAX_CONSOLE_IMPORT_BYTES = 20 * 1024 * 1024;

const consoleFileTooLarge = () => new AdminProblem(413, "Payload too large",
  `The file is larger than ${MAX_CONSOLE_IMPORT_BYTES / 1024 / 1024} MB; import it through the HR API (POST /hr/v1/imports) or the CLI (hr import)`);

function flag(req: Request, name: string): boolean {
  const text = stringParam(req, name, 5);
  if (text === undefined || text === "false") return false;
  if (text === "true") return true;
  throw badInput(`${name} must be true or false`);
}

export function hrRoutes(db: Knex): Router {
  const router = Router();

  router.get("/tenants/:slug/hr/changes", async (req, res) => {
    const tenant = await tenantOf(db, req, res);
    const after = stringParam(req, "after", 20);
    if (after !== undefined && !/^\d{1,18}$/.test(after)) throw badInput("after must be a nextCursor of a previous page, or 0");
    const since = stringParam(req, "since", 40);
    const sinceDate = since === undefined ? undefined : new Date(since);
    if (sinceDate && Number.isNaN(sinceDate.getTime())) throw badInput("since must be an ISO 8601 instant");
    res.json(await readChanges(db, tenant.id, { after, since: sinceDate, limit: intParam(req, "limit", 100, 1, 1000) }));
  });

  router.post("/tenants/:slug/hr/imports", async (req, res) => {
    const { actor, now } = adminContextOf(res);
    const tenant = await tenantOf(db, req, res);
    requireRole(actor, "integration-admin");
    if (!req.is("text/csv")) throw new AdminProblem(415, "Unsupported media type", "Send the file as text/csv (UTF-8, comma or semicolon separated, with a header line)");
    const dryRun = flag(req, "dryRun");
    const snapshot = flag(req, "snapshot");
    const removeAbsent = flag(req, "removeAbsent");
    if (removeAbsent && !snapshot) throw badInput("removeAbsent needs snapshot=true (the file is then the whole population)");
    const report = await withSpooledBody(req, MAX_CONSOLE_IMPORT_BYTES, consoleFileTooLarge, (body) =>
      importCsv(db, body, { tenant, actor: actor.label, now, dryRun, snapshot, removeAbsent }));
    if (!dryRun && report.errors.length === 0) {
      await recordAdminAction(db, {
        tenantId: tenant.id, at: now, actor: actor.label, action: "hr.import", target: tenant.slug,
        after: { created: report.created, updated: report.updated, unchanged: report.unchanged, removed: report.removed, snapshot, removeAbsent },
      });
    }
    // A refused file is a report too (422), with each error's line and column: the console shows it.
    res.status(report.errors.length ? 422 : 200).json(report);
  });
  return router;
}
