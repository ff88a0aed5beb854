// `entra connect|show|test|disconnect|sync|runs|outcomes`: the Entra ID push connector of a tenant
// (product.md section 8). The client secret is read from a file, stored sealed, and never printed.
import fs from "node:fs";
import { Writable } from "node:stream";
import { checkConnection } from "../connectors/entra/connection-check.js";
import { deleteConnection, findConnection, saveConnection, type EntraConnection } from "../connectors/entra/connection-store.js";
import { createEntraContext, type EntraContext } from "../connectors/entra/context.js";
import { readOutcomes } from "../connectors/entra/outcomes.js";
import { openRun, recentRuns, runRequests } from "../connectors/entra/run-log.js";
import { NotConnectedError, syncTenant } from "../connectors/entra/runner.js";
import {
  DEFAULT_GRAPH_URL, DEFAULT_LOGIN_URL, InvalidEntraSettingError, MAX_RATE_PER_SECOND, validateBaseUrl, validateDays,
  validateDirectoryId, validateDomain, validateEmail, validateGuid, validateJobId, validateRate, validateWebhookUrl, type EntraSettings,
} from "../connectors/entra/settings.js";
import { entraConnectionView, entraRunView } from "../admin/entra-admin.js";
import { createLogger } from "../logger.js";
import { smtpSender } from "../notifications/email.js";
import { Notifier } from "../notifications/notifier.js";
import { webhookPoster } from "../notifications/webhook.js";
import type { Tenant } from "../hr/tenants.js";
import { allowOnly, CliError, optionValue, positionals, requiredOption, UsageError, type ParsedArgs } from "./args.js";
import { iso, table, type CliContext, type Runner } from "./context.js";
import { requireTenant, validateSlug } from "./tenant-commands.js";

const CONNECT = "entra connect --tenant <slug> --directory-id <guid> --client-id <id> --client-secret-file <path> --service-principal-id <id> --job-id <id> [--graph-url <url>] [--login-url <url>] [--rate <requests/s>] [--future-days <n>] [--domain <domain>]... [--leaver-days <n>] [--notify-email <address>]... [--notify-webhook <url>]";
const MAX_SECRET_BYTES = 4096;

function setting<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof InvalidEntraSettingError) throw new UsageError(e.message);
    throw e;
  }
}

function parseSettings(args: ParsedArgs): EntraSettings {
  return setting(() => {
    const rate = optionValue(args, "rate");
    const future = optionValue(args, "future-days");
    const leaver = optionValue(args, "leaver-days");
    const webhook = optionValue(args, "notify-webhook");
    const domains = args.values.domain;
    return {
      directoryId: validateDirectoryId(requiredOption(args, "directory-id")),
      clientId: validateGuid("client-id", requiredOption(args, "client-id"), "App registrations > your app > Overview > Application (client) ID"),
      servicePrincipalId: validateGuid("service-principal-id", requiredOption(args, "service-principal-id"), "the part after /servicePrincipals/ in the Provisioning API Endpoint URL"),
      jobId: validateJobId(requiredOption(args, "job-id")),
      graphUrl: validateBaseUrl("graph-url", optionValue(args, "graph-url") ?? DEFAULT_GRAPH_URL),
      loginUrl: validateBaseUrl("login-url", optionValue(args, "login-url") ?? DEFAULT_LOGIN_URL),
      ratePerSecond: rate === undefined ? MAX_RATE_PER_SECOND : validateRate(rate),
      futureDays: future === undefined ? 0 : validateDays("future-days", future),
      domains: domains ? [...new Set(domains.flatMap((d) => d.split(",")).filter((d) => d.trim()).map((d) => validateDomain(d)))] : null,
      leaverDays: leaver === undefined ? null : validateDays("leaver-days", leaver),
      notifyEmails: [...new Set((args.values["notify-email"] ?? []).map((e) => validateEmail(e)))],
      notifyWebhookUrl: webhook === undefined ? null : validateWebhookUrl(webhook),
    };
  });
}

function readSecretFile(path: string): string {
  let text: string;
  try {
    const stat = fs.statSync(path);
    if (!stat.isFile()) throw new CliError(`--client-secret-file ${path} is not a file`);
    if (stat.size > MAX_SECRET_BYTES) throw new CliError(`--client-secret-file ${path} is larger than a client secret can be`);
    text = fs.readFileSync(path, "utf8");
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`Cannot read --client-secret-file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const secret = text.replace(/\r?\n$/, "");
  if (!secret.trim() || /[\r\n]/.test(secret)) throw new CliError(`--client-secret-file ${path} must hold the client secret value alone, on one line`);
  return secret;
}

/** The connector's context for a CLI command: real network and clock, logs to stderr. */
export function cliEntraContext(ctx: CliContext): EntraContext {
  const stderr = new Writable({ write(chunk, _enc, done) { ctx.err(String(chunk).replace(/\n$/, "")); done(); } });
  const logger = createLogger(ctx.logLevel, { stream: stderr });
  const notifier = new Notifier({ db: ctx.db, logger, now: ctx.now, sendEmail: ctx.smtp ? smtpSender(ctx.smtp) : undefined, postJson: webhookPoster() });
  return createEntraContext({ db: ctx.db, secretKey: ctx.secretKey(), logger, notifier, now: ctx.now });
}

async function requireConnection(ctx: CliContext, tenant: Tenant): Promise<EntraConnection> {
  const conn = await findConnection(ctx.db, tenant.id);
  if (!conn) throw new CliError(`Tenant ${tenant.slug} has no Entra connection; run: ${CONNECT}`);
  return conn;
}

export function entraCommand(args: ParsedArgs): Runner {
  const sub = args.positionals[1];
  const tenantSlug = () => validateSlug(requiredOption(args, "tenant"));
  switch (sub) {
    case "connect": {
      allowOnly(args, "entra connect", ["tenant", "directory-id", "client-id", "client-secret-file", "service-principal-id", "job-id", "graph-url", "login-url", "rate", "future-days", "domain", "leaver-days", "notify-email", "notify-webhook", "json"]);
      positionals(args, 2, [], CONNECT);
      const slug = tenantSlug();
      const settings = parseSettings(args);
      const secretFile = requiredOption(args, "client-secret-file");
      return async (ctx) => {
        const tenant = await requireTenant(ctx, slug);
        const clientSecret = readSecretFile(secretFile);
        const { connection, created, reset } = await saveConnection(ctx.db, { tenantId: tenant.id, settings, clientSecret, secretKey: ctx.secretKey(), actor: ctx.actor, now: ctx.now() });
        if (args.flags.has("json")) { ctx.out(JSON.stringify(entraConnectionView(connection, tenant, null))); return; }
        ctx.out(`${created ? "Connected" : "Updated the connection of"} tenant ${slug} to Microsoft Entra ID (job ${connection.jobId}); the client secret is stored encrypted.`);
        if (reset) ctx.out("The directory, service principal or job changed: the next run sends every employee in scope again.");
        ctx.out(`Next: npm run --silent cli -- entra test --tenant ${slug}`);
      };
    }
    case "show": {
      allowOnly(args, "entra show", ["tenant", "json"]);
      positionals(args, 2, [], "entra show --tenant <slug> [--json]");
      const slug = tenantSlug();
      return async (ctx) => {
        const tenant = await requireTenant(ctx, slug);
        const conn = await requireConnection(ctx, tenant);
        const shown = entraConnectionView(conn, tenant, await openRun(ctx.db, tenant.id));
        if (args.flags.has("json")) { ctx.out(JSON.stringify(shown)); return; }
        for (const [key, value] of Object.entries(shown)) ctx.out(`${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
      };
    }
    case "test": {
      allowOnly(args, "entra test", ["tenant", "json"]);
      positionals(args, 2, [], "entra test --tenant <slug> [--json]");
      const slug = tenantSlug();
      return async (ctx) => {
        const tenant = await requireTenant(ctx, slug);
        await requireConnection(ctx, tenant);
        const result = await checkConnection(cliEntraContext(ctx), tenant.id);
        if (args.flags.has("json")) ctx.out(JSON.stringify(result));
        else for (const s of result.steps) ctx.out(`${s.ok ? "ok  " : "FAIL"} ${s.step}: ${s.detail}`);
        if (!result.ok) throw new CliError(`The Entra connection of tenant ${slug} is not ready: ${result.steps.filter((s) => !s.ok).map((s) => s.step).join(", ")} failed (see above)`);
      };
    }
    case "disconnect": {
      allowOnly(args, "entra disconnect", ["tenant"]);
      positionals(args, 2, [], "entra disconnect --tenant <slug>");
      const slug = tenantSlug();
      return async (ctx) => {
        const tenant = await requireTenant(ctx, slug);
        const removed = await deleteConnection(ctx.db, tenant.id, ctx.now());
        ctx.out(removed ? `Disconnected tenant ${slug} from Microsoft Entra ID: the client secret is deleted; past runs stay in the log.` : `Tenant ${slug} had no Entra connection.`);
      };
    }
    case "sync": {
      allowOnly(args, "entra sync", ["tenant", "full", "json"]);
      positionals(args, 2, [], "entra sync --tenant <slug> [--full] [--json]");
      const slug = tenantSlug();
      return async (ctx) => {
        const tenant = await requireTenant(ctx, slug);
        await requireConnection(ctx, tenant);
        let result;
        try {
          result = await syncTenant(cliEntraContext(ctx), tenant.id, { kind: args.flags.has("full") ? "full" : "auto", trigger: "cli" });
        } catch (e) {
          if (e instanceof NotConnectedError) throw new CliError(e.message);
          throw e;
        }
        if (result.busy) throw new CliError(`A push of tenant ${slug} is under way in another process; try again when it ends (entra runs --tenant ${slug})`);
        const last = result.runs[result.runs.length - 1];
        const sum = (k: "sent" | "requests" | "retried") => result.runs.reduce((n, r) => n + r[k], 0);
        const summary = { runId: last?.id ?? null, sent: sum("sent"), requests: sum("requests"), failed: last?.failed ?? 0, retried: sum("retried") };
        if (args.flags.has("json")) ctx.out(JSON.stringify(summary));
        else if (!last) ctx.out(`Nothing to send for tenant ${slug}.`);
        else {
          ctx.out(`Run ${last.id} (${last.kind}): ${last.status}; ${summary.sent} users sent in ${summary.requests} requests (${summary.retried} retried), ${last.unchanged} unchanged, ${summary.failed} not sent.`);
          for (const note of last.notes) ctx.out(`  note: ${note}`);
        }
        if (last && last.status === "waiting") ctx.err(`The run waits until ${iso(last.resumeAfter)}; the server resumes it then (or run entra sync again).`);
        if (last && last.status === "failed") throw new CliError(last.error ?? "The run failed");
      };
    }
    case "runs": {
      allowOnly(args, "entra runs", ["tenant", "json", "limit"]);
      positionals(args, 2, [], "entra runs --tenant <slug> [--limit <n>] [--json]");
      const slug = tenantSlug();
      const limitText = optionValue(args, "limit") ?? "20";
      if (!/^\d{1,4}$/.test(limitText) || Number(limitText) < 1) throw new UsageError(`--limit must be a whole number from 1 to 9999, got "${limitText}"`);
      return async (ctx) => {
        const tenant = await requireTenant(ctx, slug);
        const runs = await recentRuns(ctx.db, tenant.id, Number(limitText));
        if (args.flags.has("json")) {
          const out = [];
          for (const r of runs) {
            const outcomes = await ctx.db("entra_outcomes").where({ tenant_id: tenant.id, run_id: r.id }).orderBy("activity_at")
              .select("external_id", "result", "action", "status", "error_code", "error_reason", "activity_at");
            out.push({
              ...entraRunView(r),
              requestsLog: (await runRequests(ctx.db, tenant.id, r.id)).map((q) => ({ ...q, at: iso(q.at) })),
              outcomes: outcomes.map((o: Record<string, any>) => ({ externalId: o.external_id, result: o.result, action: o.action, status: o.status, errorCode: o.error_code, error: o.error_reason, at: iso(o.activity_at) })),
            });
          }
          ctx.out(JSON.stringify(out));
          return;
        }
        if (runs.length === 0) { ctx.out(`No Entra runs for tenant ${slug}.`); return; }
        const rows = runs.map((r) => [r.id.slice(0, 8), r.kind, r.trigger, r.status, iso(r.startedAt) ?? "-", String(r.planned), String(r.sent), String(r.unchanged), String(r.requests), String(r.retried), String(r.failed), r.error ?? ""]);
        for (const line of table(["RUN", "KIND", "TRIGGER", "STATUS", "STARTED", "PLANNED", "SENT", "UNCHANGED", "REQUESTS", "RETRIED", "FAILED", "ERROR"], rows)) ctx.out(line);
      };
    }
    case "outcomes": {
      allowOnly(args, "entra outcomes", ["tenant", "json"]);
      positionals(args, 2, [], "entra outcomes --tenant <slug> [--json]");
      const slug = tenantSlug();
      return async (ctx) => {
        const tenant = await requireTenant(ctx, slug);
        await requireConnection(ctx, tenant);
        const result = await readOutcomes(cliEntraContext(ctx), tenant.id);
        if (args.flags.has("json")) ctx.out(JSON.stringify(result));
        else ctx.out(`Read ${result.read} provisioning log entries; ${result.recorded} new, ${result.failures} failures.`);
        if (result.error) throw new CliError(`Reading the provisioning logs failed: ${result.error}`);
      };
    }
    default:
      throw new UsageError(sub ? `Unknown command "entra ${sub}"; expected connect, show, test, disconnect, sync, runs or outcomes` : "Missing entra command: connect, show, test, disconnect, sync, runs or outcomes");
  }
}
