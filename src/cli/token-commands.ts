// `token issue|list|revoke|permission`: API tokens (docs/BEHAVIOUR.md section 6). Secrets are printed only
// by `token issue`, once; only their hash is stored.
import { findTokenById, listTokens, type TokenRecord } from "../auth/tokens.js";
import { AdminProblem } from "../admin/problems.js";
import { cliActor } from "../admin/roles.js";
import { issueTenantToken, revokeTenantToken, setTenantTokenPermission } from "../admin/token-admin.js";
import { isPermission, permissionConflict, PERMISSIONS, type Permission } from "../auth/permissions.js";
import { findTenantById } from "../hr/tenants.js";
import { allowOnly, CliError, optionValue, positionals, requiredOption, UsageError, type ParsedArgs } from "./args.js";
import { iso, table, type CliContext, type Runner } from "./context.js";
import { requireTenant, validateSlug } from "./tenant-commands.js";

const ISSUE = "token issue --tenant <slug> --name <name> [--permission <p>]... [--expires-in-days <N>] [--json]";
const PERMISSION = "token permission <id> <permission> on|off";

export function parsePermission(value: string): Permission {
  if (!isPermission(value)) throw new UsageError(`Unknown permission "${value}"; expected ${PERMISSIONS.join(" or ")}`);
  return value;
}

export function parseExpiresInDays(value: string | undefined): number | null {
  if (value === undefined) return null;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 36500) {
    throw new UsageError(`--expires-in-days must be a whole number of days between 1 and 36500, got "${value}"`);
  }
  return Number(value);
}

function status(t: TokenRecord, now: Date): string {
  if (t.revokedAt) return "revoked";
  if (t.expiresAt && new Date(t.expiresAt) <= now) return "expired";
  return "active";
}

function tokenJson(t: TokenRecord, slug: string, now: Date) {
  return {
    id: t.id, tenant: slug, name: t.name, prefix: t.prefix, permissions: t.permissions, status: status(t, now),
    createdBy: t.createdBy, createdAt: iso(t.createdAt), lastUsedAt: iso(t.lastUsedAt),
    expiresAt: iso(t.expiresAt), revokedAt: iso(t.revokedAt),
  };
}

async function requireToken(ctx: CliContext, id: string): Promise<TokenRecord> {
  const token = await findTokenById(ctx.db, id);
  if (!token) throw new CliError(`Unknown token "${id}"`);
  return token;
}

async function slugOf(ctx: CliContext, tenantId: number): Promise<string> {
  return (await findTenantById(ctx.db, tenantId))?.slug ?? String(tenantId);
}

export function tokenCommand(args: ParsedArgs): Runner {
  const sub = args.positionals[1];
  switch (sub) {
    case "issue": {
      allowOnly(args, "token issue", ["tenant", "name", "permission", "expires-in-days", "json"]);
      positionals(args, 2, [], ISSUE);
      const slug = validateSlug(requiredOption(args, "tenant"));
      const name = requiredOption(args, "name").trim();
      if (!name) throw new UsageError("Option --name must not be blank");
      const permissions = [...new Set((args.values.permission ?? []).map(parsePermission))];
      const conflict = permissionConflict(permissions);
      if (conflict) throw new UsageError(conflict);
      const days = parseExpiresInDays(optionValue(args, "expires-in-days"));
      return async (ctx) => {
        const tenant = await requireTenant(ctx, slug);
        const now = ctx.now();
        const { token, record } = await issueTenantToken(ctx.db, cliActor(ctx.actor), tenant.id, { name, permissions, expiresInDays: days }, now);
        if (args.flags.has("json")) {
          ctx.out(JSON.stringify({ id: record.id, token, tenant: slug, name: record.name, permissions: record.permissions, expiresAt: iso(record.expiresAt) }));
          return;
        }
        ctx.out(`Issued token "${record.name}" for tenant ${slug}`);
        ctx.out(`  id:          ${record.id}`);
        ctx.out(`  permissions: ${record.permissions.length ? record.permissions.join(", ") : "none (read users and enabled groups)"}`);
        ctx.out(`  expires:     ${iso(record.expiresAt) ?? "never"}`);
        ctx.out("");
        ctx.out(`  ${token}`);
        ctx.out("");
        ctx.out("This secret is shown only once and cannot be recovered: store it now.");
      };
    }
    case "list": {
      allowOnly(args, "token list", ["tenant", "json"]);
      positionals(args, 2, [], "token list --tenant <slug> [--json]");
      const slug = validateSlug(requiredOption(args, "tenant"));
      return async (ctx) => {
        const tenant = await requireTenant(ctx, slug);
        const now = ctx.now();
        const tokens = await listTokens(ctx.db, tenant.id);
        if (args.flags.has("json")) { ctx.out(JSON.stringify(tokens.map((t) => tokenJson(t, slug, now)))); return; }
        if (tokens.length === 0) { ctx.out(`No tokens for tenant ${slug}.`); return; }
        const rows = tokens.map((t) => [
          t.id, t.name, `${t.prefix}…`, t.permissions.join(",") || "-", status(t, now),
          iso(t.createdAt) ?? "-", iso(t.lastUsedAt) ?? "never", iso(t.expiresAt) ?? "never", iso(t.revokedAt) ?? "-",
        ]);
        for (const line of table(["ID", "NAME", "PREFIX", "PERMISSIONS", "STATUS", "CREATED", "LAST USED", "EXPIRES", "REVOKED"], rows)) ctx.out(line);
      };
    }
    case "revoke": {
      allowOnly(args, "token revoke", []);
      const [id] = positionals(args, 2, ["id"], "token revoke <id>");
      return async (ctx) => {
        const existing = await requireToken(ctx, id);
        const slug = await slugOf(ctx, existing.tenantId);
        if (existing.revokedAt) { ctx.out(`Token ${id} ("${existing.name}", tenant ${slug}) was already revoked at ${iso(existing.revokedAt)}`); return; }
        const revoked = await revokeTenantToken(ctx.db, cliActor(ctx.actor), existing.tenantId, id, ctx.now());
        ctx.out(`Revoked token ${id} ("${existing.name}", tenant ${slug}) at ${iso(revoked?.revokedAt)}`);
      };
    }
    case "permission": {
      allowOnly(args, "token permission", []);
      const [id, permissionWord, state] = positionals(args, 2, ["id", "permission", "on|off"], PERMISSION);
      const permission = parsePermission(permissionWord);
      if (state !== "on" && state !== "off") throw new UsageError(`Expected on or off, got "${state}"; usage: ${PERMISSION}`);
      return async (ctx) => {
        const existing = await requireToken(ctx, id);
        let updated: TokenRecord;
        try {
          updated = await setTenantTokenPermission(ctx.db, cliActor(ctx.actor), existing.tenantId, id, permission, state === "on", ctx.now());
        } catch (e) {
          if (e instanceof AdminProblem) throw new CliError(e.detail);
          throw e;
        }
        const slug = await slugOf(ctx, updated.tenantId);
        ctx.out(`Token ${id} ("${updated.name}", tenant ${slug}): ${permission} ${state}; permissions now ${updated.permissions.join(", ") || "none"}`);
        if (updated.revokedAt) ctx.err(`warning: token ${id} is revoked; the change has no effect on access`);
      };
    }
    default:
      throw new UsageError(sub ? `Unknown command "token ${sub}"; expected issue, list, revoke or permission` : "Missing token command: issue, list, revoke or permission");
  }
}
