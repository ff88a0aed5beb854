// `tenant create|list|show|set`: tenants and their settings (docs/BEHAVIOUR.md section 6).
import { createTenant, findTenantBySlug, isValidTimeZone, type Tenant } from "../hr/tenants.js";
import { effectiveSettings } from "../scim/services/tenant-settings.js";
import { SETTING_NAMES, type TenantSettings } from "../hr/tenant-settings.js";
import { AdminProblem } from "../admin/problems.js";
import { cliActor } from "../admin/roles.js";
import { changeTenantSettings } from "../admin/settings-admin.js";
import { allowOnly, CliError, optionValue, positionals, requiredOption, UsageError, type ParsedArgs } from "./args.js";
import { table, type CliContext, type Runner } from "./context.js";

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function validateSlug(slug: string): string {
  if (!SLUG_PATTERN.test(slug)) throw new UsageError(`Invalid tenant slug "${slug}": lower-case letters, digits and hyphens, starting with a letter or digit, at most 63 characters`);
  return slug;
}

export function validateTimeZone(zone: string): string {
  if (!isValidTimeZone(zone)) throw new UsageError(`Unknown time zone "${zone}": expected an IANA name such as Europe/Paris`);
  return zone;
}

export async function requireTenant(ctx: CliContext, slug: string): Promise<Tenant> {
  const tenant = await findTenantBySlug(ctx.db, slug);
  if (!tenant) throw new CliError(`Unknown tenant "${slug}"`);
  return tenant;
}

function tenantJson(t: Tenant) {
  return { id: t.id, slug: t.slug, name: t.name, timeZone: t.timeZone, settings: effectiveSettings(t.settings) };
}

function printTenant(ctx: CliContext, t: Tenant): void {
  ctx.out(`Tenant ${t.slug} (id ${t.id}): ${t.name}`);
  ctx.out(`  timeZone: ${t.timeZone}`);
  for (const [name, value] of Object.entries(effectiveSettings(t.settings))) ctx.out(`  ${name}: ${JSON.stringify(value)}`);
}

const CREATE = 'tenant create <slug> --name <name> [--time-zone <IANA zone>] [--json]';
const SHOW = "tenant show <slug> [--json]";
const SET = "tenant set <slug> <setting> <value>";

export function tenantCommand(args: ParsedArgs): Runner {
  const sub = args.positionals[1];
  switch (sub) {
    case "create": {
      allowOnly(args, "tenant create", ["name", "time-zone", "json"]);
      const [slug] = positionals(args, 2, ["slug"], CREATE);
      validateSlug(slug);
      const name = requiredOption(args, "name").trim();
      if (!name) throw new UsageError("Option --name must not be blank");
      const zone = optionValue(args, "time-zone");
      const timeZone = validateTimeZone(zone ?? "Europe/Paris");
      return async (ctx) => {
        if (await findTenantBySlug(ctx.db, slug)) throw new CliError(`Tenant "${slug}" already exists`);
        let tenant: Tenant;
        try {
          tenant = await createTenant(ctx.db, { slug, name, timeZone, settings: {} });
        } catch (e) {
          if ((e as { code?: string }).code === "23505") throw new CliError(`Tenant "${slug}" already exists`);
          throw e;
        }
        if (args.flags.has("json")) ctx.out(JSON.stringify(tenantJson(tenant)));
        else ctx.out(`Created tenant ${tenant.slug} (id ${tenant.id}, time zone ${tenant.timeZone}); no group types enabled`);
      };
    }
    case "list": {
      allowOnly(args, "tenant list", ["json"]);
      positionals(args, 2, [], "tenant list [--json]");
      return async (ctx) => {
        const rows = await ctx.db("tenants").orderBy("slug");
        if (args.flags.has("json")) {
          ctx.out(JSON.stringify(rows.map((r) => ({ id: r.id, slug: r.slug, name: r.name, timeZone: r.time_zone }))));
        } else if (rows.length === 0) {
          ctx.out("No tenants.");
        } else {
          for (const line of table(["ID", "SLUG", "NAME", "TIME ZONE"], rows.map((r) => [String(r.id), r.slug, r.name, r.time_zone]))) ctx.out(line);
        }
      };
    }
    case "show": {
      allowOnly(args, "tenant show", ["json"]);
      const [slug] = positionals(args, 2, ["slug"], SHOW);
      return async (ctx) => {
        const tenant = await requireTenant(ctx, slug);
        if (args.flags.has("json")) ctx.out(JSON.stringify(tenantJson(tenant)));
        else printTenant(ctx, tenant);
      };
    }
    case "set": {
      allowOnly(args, "tenant set", []);
      const [slug, setting, value] = positionals(args, 2, ["slug", "setting", "value"], SET);
      if (!(SETTING_NAMES as readonly string[]).includes(setting)) {
        throw new UsageError(`Unknown setting "${setting}"; expected one of ${SETTING_NAMES.join(", ")}`);
      }
      if (setting === "timeZone") validateTimeZone(value);
      return (ctx) => setTenantSetting(ctx, slug, setting, value);
    }
    default:
      throw new UsageError(sub ? `Unknown command "tenant ${sub}"; expected create, list, show or set` : "Missing tenant command: create, list, show or set");
  }
}

async function setTenantSetting(ctx: CliContext, slug: string, setting: string, value: string): Promise<void> {
  let tenant: Tenant;
  try {
    tenant = await changeTenantSettings(ctx.db, cliActor(ctx.actor), slug, [[setting, value]], ctx.now());
  } catch (e) {
    if (e instanceof AdminProblem) throw new CliError(e.detail);
    throw e;
  }
  const shown = setting === "timeZone" ? tenant.timeZone : JSON.stringify(effectiveSettings(tenant.settings)[setting as keyof TenantSettings]);
  ctx.out(`Tenant ${slug}: ${setting} = ${shown}`);
}
