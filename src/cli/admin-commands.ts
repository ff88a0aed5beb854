// `admin create|list|rotate|revoke|audit`: admin keys for the admin API and console (issue 13),
// and the admin audit. Keys are printed only by create and rotate, once; only their hash is stored.
import { listAdminAudit } from "../admin/admin-audit.js";
import { adminKeyJson, createAdminKey, findAdminKey, listAdminKeys, revokeAdminKey, rotateAdminKey, type AdminKeyRecord } from "../admin/admin-keys.js";
import { ADMIN_ROLES, isAdminRole, type AdminRole } from "../admin/roles.js";
import { findTenantById } from "../hr/tenants.js";
import { allowOnly, CliError, optionValue, positionals, requiredOption, UsageError, type ParsedArgs } from "./args.js";
import { iso, table, type CliContext, type Runner } from "./context.js";
import { requireTenant, validateSlug } from "./tenant-commands.js";

const CREATE = "admin create --name <name> --role integration-admin|security-admin [--role ...] [--tenant <slug>] [--json]";

function parseRoles(values: string[] | undefined): AdminRole[] {
  if (!values?.length) throw new UsageError(`Missing --role; expected ${ADMIN_ROLES.join(" and/or ")}`);
  const roles = values.flatMap((v) => v.split(",")).map((r) => r.trim());
  for (const r of roles) if (!isAdminRole(r)) throw new UsageError(`Unknown role "${r}"; expected ${ADMIN_ROLES.join(" or ")}`);
  return [...new Set(roles as AdminRole[])];
}

async function keyJson(ctx: CliContext, k: AdminKeyRecord) {
  const tenant = k.tenantId === null ? null : (await findTenantById(ctx.db, k.tenantId))?.slug ?? String(k.tenantId);
  return { ...adminKeyJson(k), tenant, status: k.revokedAt ? "revoked" : k.expiresAt && k.expiresAt <= ctx.now() ? "expired" : "active" };
}

export function adminCommand(args: ParsedArgs): Runner {
  const sub = args.positionals[1];
  switch (sub) {
    case "create": {
      allowOnly(args, "admin create", ["name", "role", "tenant", "json"]);
      positionals(args, 2, [], CREATE);
      const name = requiredOption(args, "name").trim();
      if (!name) throw new UsageError("Option --name must not be blank");
      const roles = parseRoles(args.values.role);
      const slugOption = optionValue(args, "tenant");
      const slug = slugOption === undefined ? undefined : validateSlug(slugOption);
      return async (ctx) => {
        const tenant = slug === undefined ? null : await requireTenant(ctx, slug);
        const { key, record } = await createAdminKey(ctx.db, { name, roles, tenantId: tenant?.id ?? null, actor: ctx.actor, now: ctx.now() });
        if (args.flags.has("json")) { ctx.out(JSON.stringify({ ...(await keyJson(ctx, record)), key })); return; }
        ctx.out(`Created admin key "${record.name}" (${roles.join(", ")}) for ${tenant ? `tenant ${tenant.slug}` : "every tenant"}`);
        ctx.out(`  id: ${record.id}`);
        ctx.out("");
        ctx.out(`  ${key}`);
        ctx.out("");
        ctx.out("This key is shown only once: sign in to the console at /admin with it, or send it as Authorization: Bearer to /admin/v1.");
      };
    }
    case "list": {
      allowOnly(args, "admin list", ["json"]);
      positionals(args, 2, [], "admin list [--json]");
      return async (ctx) => {
        const keys = await Promise.all((await listAdminKeys(ctx.db)).map((k) => keyJson(ctx, k)));
        if (args.flags.has("json")) { ctx.out(JSON.stringify(keys)); return; }
        if (keys.length === 0) { ctx.out("No admin keys."); return; }
        const rows = keys.map((k) => [k.id, k.name, `${k.prefix}…`, k.roles.join(","), k.tenant ?? "*", k.status, k.createdAt, k.lastUsedAt ?? "never"]);
        for (const line of table(["ID", "NAME", "PREFIX", "ROLES", "TENANT", "STATUS", "CREATED", "LAST USED"], rows)) ctx.out(line);
      };
    }
    case "rotate": {
      allowOnly(args, "admin rotate", ["json"]);
      const [id] = positionals(args, 2, ["id"], "admin rotate <id> [--json]");
      return async (ctx) => {
        const rotated = await rotateAdminKey(ctx.db, id, ctx.actor, ctx.now());
        if (!rotated) throw new CliError(`Unknown or revoked admin key "${id}"`);
        if (args.flags.has("json")) { ctx.out(JSON.stringify({ ...(await keyJson(ctx, rotated.record)), key: rotated.key, replaces: id })); return; }
        ctx.out(`Rotated admin key ${id}: it is revoked, with its console sessions. New key ${rotated.record.id}:`);
        ctx.out("");
        ctx.out(`  ${rotated.key}`);
        ctx.out("");
        ctx.out("This key is shown only once.");
      };
    }
    case "revoke": {
      allowOnly(args, "admin revoke", []);
      const [id] = positionals(args, 2, ["id"], "admin revoke <id>");
      return async (ctx) => {
        if (!(await findAdminKey(ctx.db, id))) throw new CliError(`Unknown admin key "${id}"`);
        const revoked = await revokeAdminKey(ctx.db, id, ctx.actor, ctx.now());
        ctx.out(`Revoked admin key ${id} at ${iso(revoked?.revokedAt)}; its console sessions are ended.`);
      };
    }
    case "audit": {
      allowOnly(args, "admin audit", ["tenant", "limit", "json"]);
      positionals(args, 2, [], "admin audit --tenant <slug> [--limit <n>] [--json]");
      const slug = validateSlug(requiredOption(args, "tenant"));
      const limitText = optionValue(args, "limit") ?? "50";
      if (!/^\d{1,4}$/.test(limitText) || Number(limitText) < 1) throw new UsageError(`--limit must be a whole number from 1 to 9999, got "${limitText}"`);
      return async (ctx) => {
        const tenant = await requireTenant(ctx, slug);
        const { rows } = await listAdminAudit(ctx.db, { tenantId: tenant.id, limit: Number(limitText) });
        if (args.flags.has("json")) { ctx.out(JSON.stringify(rows.map((r) => ({ ...r, at: r.at.toISOString() })))); return; }
        if (rows.length === 0) { ctx.out(`No admin actions recorded for tenant ${slug}.`); return; }
        for (const line of table(["AT", "ACTOR", "ACTION", "TARGET"], rows.map((r) => [r.at.toISOString(), r.actor, r.action, r.target ?? ""]))) ctx.out(line);
      };
    }
    default:
      throw new UsageError(sub ? `Unknown command "admin ${sub}"; expected create, list, rotate, revoke or audit` : "Missing admin command: create, list, rotate, revoke or audit");
  }
}
