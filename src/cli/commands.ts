// Command dispatch: turns parsed words into a validated Runner, before the database is opened, so
// that bad usage fails fast and without touching the store.
import { seedDemo } from "../seeds/demo.js";
import { localDate } from "../hr/lifecycle.js";
import { toCount } from "../db/database.js";
import { allowOnly, positionals, UsageError, type ParsedArgs } from "./args.js";
import type { Runner } from "./context.js";
import { adminCommand } from "./admin-commands.js";
import { entraCommand } from "./entra-commands.js";
import { hrCommand } from "./hr-commands.js";
import { tenantCommand } from "./tenant-commands.js";
import { tokenCommand } from "./token-commands.js";

export const ARGS_SPEC = {
  valueOptions: [
    "name", "time-zone", "tenant", "permission", "expires-in-days",
    "directory-id", "client-id", "client-secret-file", "service-principal-id", "job-id", "graph-url", "login-url",
    "rate", "future-days", "domain", "leaver-days", "notify-email", "notify-webhook", "limit", "role",
    "file", "since", "employee", "days",
  ],
  flagOptions: ["json", "help", "full", "dry-run", "snapshot", "remove-absent"],
} as const;

export function resolveCommand(args: ParsedArgs): Runner {
  const word = args.positionals[0];
  switch (word) {
    case "migrate":
      allowOnly(args, "migrate", []);
      positionals(args, 1, [], "migrate");
      return async (ctx) => {
        ctx.out(ctx.appliedMigrations.length
          ? `Applied ${ctx.appliedMigrations.length} migration(s): ${ctx.appliedMigrations.join(", ")}`
          : "Database schema is up to date.");
      };
    case "seed": {
      allowOnly(args, "seed", []);
      const [what] = positionals(args, 1, ["what"], "seed demo");
      if (what !== "demo") throw new UsageError(`Unknown seed "${what}"; expected demo`);
      return async (ctx) => {
        const now = ctx.now();
        await seedDemo(ctx.db, { now });
        const counts = await ctx.db("tenants as t")
          .whereIn("t.slug", ["demo", "other"])
          .select("t.slug", ctx.db.raw("(select count(*) from employees e where e.tenant_id = t.id) as employees"))
          .orderBy("t.slug");
        const n = Object.fromEntries(counts.map((r) => [r.slug, toCount(r.employees)]));
        ctx.out(`Seeded tenant demo (${n.demo} employees, 3 legal units, 4 establishments, 5 departments; seed day ${localDate(now, "Europe/Paris")} Europe/Paris) and tenant other (${n.other} employees); their previous data and tokens were deleted.`);
      };
    }
    case "tenant":
      return tenantCommand(args);
    case "token":
      return tokenCommand(args);
    case "entra":
      return entraCommand(args);
    case "hr":
      return hrCommand(args);
    case "admin":
      return adminCommand(args);
    default:
      throw new UsageError(`Unknown command "${word}"; expected migrate, seed, tenant, token, entra, hr or admin`);
  }
}
