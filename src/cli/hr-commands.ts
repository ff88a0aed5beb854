// `hr import|changes|erase`: the HR CLI (issue 11). The import reads a CSV file through the same
// write path as the HR API; changes reads the tenant's change feed; erase removes a former
// employee's personal data everywhere. The operator (cli:<OS user>) is the changes' actor.
import fs from "node:fs";
import { readChanges, setHrChangeRetention } from "../hr/changes.js";
import { eraseEmployee, ErasureRefusedError } from "../hr/erasure.js";
import { importCsv, type ImportReport } from "../hr/import/csv-import.js";
import { allowOnly, CliError, optionValue, positionals, requiredOption, UsageError, type ParsedArgs } from "./args.js";
import { iso, table, type CliContext, type Runner } from "./context.js";
import { requireTenant, validateSlug } from "./tenant-commands.js";

const IMPORT = "hr import --tenant <slug> --file <path> [--dry-run] [--json] [--snapshot [--remove-absent]]";
const CHANGES = "hr changes --tenant <slug> [--since <ISO instant>] [--json]";
const ERASE = "hr erase --tenant <slug> --employee <number>";
const RETENTION = "hr retention --tenant <slug> --days <n>";

/** A progress bar on stderr when it is a terminal (never in --json output). */
function progressBar(total: number): { update(bytes: number): void; done(): void } | null {
  if (!process.stderr.isTTY || total < 1_000_000) return null;
  let shown = -1;
  return {
    update(bytes) {
      const percent = Math.min(100, Math.floor((bytes / total) * 100));
      if (percent === shown) return;
      shown = percent;
      const width = 30;
      const filled = Math.round((percent / 100) * width);
      process.stderr.write(`\rreading [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${percent}%`);
    },
    done() { process.stderr.write("\n"); },
  };
}

function printReport(ctx: CliContext, report: ImportReport, json: boolean): void {
  if (json) { ctx.out(JSON.stringify(report)); return; }
  if (report.errors.length) {
    ctx.out(`Refused: nothing was imported. ${report.errors.length} error(s):`);
    for (const e of report.errors) ctx.out(`  line ${e.line}, column ${e.column || "-"}: ${e.message}`);
    return;
  }
  const verb = report.dryRun ? "Dry run (nothing applied): would have" : "Imported:";
  ctx.out(`${verb} created ${report.created}, updated ${report.updated}, left ${report.unchanged} unchanged, ended the contracts of ${report.removed} absent employee(s).`);
  if (report.absent) ctx.out(`Absent from the file (${report.absent.length}): ${report.absent.slice(0, 50).join(", ")}${report.absent.length > 50 ? ", ..." : ""}`);
}

export function hrCommand(args: ParsedArgs): Runner {
  const sub = args.positionals[1];
  switch (sub) {
    case "import": {
      allowOnly(args, "hr import", ["tenant", "file", "dry-run", "json", "snapshot", "remove-absent"]);
      positionals(args, 2, [], IMPORT);
      const slug = validateSlug(requiredOption(args, "tenant"));
      const file = requiredOption(args, "file");
      if (args.flags.has("remove-absent") && !args.flags.has("snapshot")) throw new UsageError("--remove-absent needs --snapshot (the file is then the whole population)");
      return async (ctx) => {
        const tenant = await requireTenant(ctx, slug);
        let size: number;
        try { size = fs.statSync(file).size; } catch { throw new CliError(`Cannot read ${file}`); }
        const bar = args.flags.has("json") ? null : progressBar(size);
        const report = await importCsv(ctx.db, fs.createReadStream(file), {
          tenant, actor: ctx.actor, now: ctx.now(), dryRun: args.flags.has("dry-run"),
          snapshot: args.flags.has("snapshot"), removeAbsent: args.flags.has("remove-absent"), onProgress: bar?.update,
        });
        bar?.done();
        printReport(ctx, report, args.flags.has("json"));
        if (report.errors.length) throw new CliError("the import was refused: nothing was imported");
      };
    }
    case "changes": {
      allowOnly(args, "hr changes", ["tenant", "since", "json"]);
      positionals(args, 2, [], CHANGES);
      const slug = validateSlug(requiredOption(args, "tenant"));
      const sinceText = optionValue(args, "since");
      const since = sinceText === undefined ? undefined : new Date(sinceText);
      if (since && Number.isNaN(since.getTime())) throw new UsageError(`--since must be an ISO 8601 instant, got "${sinceText}"`);
      return async (ctx) => {
        const tenant = await requireTenant(ctx, slug);
        const items = [];
        let after = "0";
        for (;;) {
          const page = await readChanges(ctx.db, tenant.id, { after, since, limit: 1000 });
          items.push(...page.items);
          if (page.items.length < 1000) break;
          after = page.nextCursor;
        }
        if (args.flags.has("json")) { ctx.out(JSON.stringify(items)); return; }
        if (items.length === 0) { ctx.out(`No HR changes for tenant ${slug}${since ? ` since ${iso(since)}` : ""}.`); return; }
        for (const line of table(["SEQ", "AT", "ENTITY", "KEY", "OPERATION", "FIELDS", "BY"], items.map((c) => [
          c.seq, c.at, c.entity, c.key, c.operation, Object.keys(c.fields).join(","), c.actor,
        ]))) ctx.out(line);
      };
    }
    case "erase": {
      allowOnly(args, "hr erase", ["tenant", "employee"]);
      positionals(args, 2, [], ERASE);
      const slug = validateSlug(requiredOption(args, "tenant"));
      const number = requiredOption(args, "employee");
      return async (ctx) => {
        const tenant = await requireTenant(ctx, slug);
        let result;
        try {
          result = await eraseEmployee(ctx.db, tenant, number, { actor: ctx.actor, now: ctx.now() });
        } catch (error) {
          if (error instanceof ErasureRefusedError) throw new CliError(error.message);
          throw error;
        }
        ctx.out(`Erased the personal data of former employee ${number} (tenant ${slug}): ${result.changes} change(s) of the feed and ${result.logEntries} integration log diff(s) cleared; the employee is kept as "erased".`);
      };
    }
    case "retention": {
      allowOnly(args, "hr retention", ["tenant", "days"]);
      positionals(args, 2, [], RETENTION);
      const slug = validateSlug(requiredOption(args, "tenant"));
      const daysText = requiredOption(args, "days");
      const days = Number(daysText);
      if (!/^\d{1,5}$/.test(daysText) || days < 1 || days > 36_500) throw new UsageError(`--days must be a whole number of days from 1 to 36500, got "${daysText}"`);
      return async (ctx) => {
        const tenant = await requireTenant(ctx, slug);
        await setHrChangeRetention(ctx.db, tenant.id, days);
        ctx.out(`Tenant ${slug}: HR changes are kept ${days} days (older ones are purged at each local midnight)`);
      };
    }
    default:
      throw new UsageError(sub ? `Unknown command "hr ${sub}"; expected import, changes, erase or retention` : "Missing hr command: import, changes, erase or retention");
  }
}
