// From a request context to the parameters of the people query: today in the tenant's zone, and
// what the calling token may see.
import { canSeeFutureEmployees } from "../../auth/permissions.js";
import type { RequestContext } from "../../context.js";
import { localDate } from "../../hr/lifecycle.js";
import type { PeopleScope } from "../../hr/people.js";
import { userCatalogue } from "../catalogue/catalogue.js";

export function peopleScope(ctx: RequestContext): PeopleScope {
  const { tenant } = ctx;
  return {
    tenantId: tenant.id,
    lifecycle: {
      today: localDate(ctx.now, tenant.timeZone),
      timeZone: tenant.timeZone,
      futureEmployeesActive: tenant.settings.futureEmployeesActive,
      settingsChangedAt: tenant.settingsChangedAt?.toISOString() ?? null,
    },
    visibility: { seesFutureEmployees: canSeeFutureEmployees(ctx.permissions) },
    userNameSource: tenant.settings.userNameSource,
    extraColumns: userCatalogue(tenant.settings).hrColumns,
  };
}
