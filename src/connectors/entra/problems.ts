// The Entra problems worth telling a tenant's administrators about, each with a stable key (so it
// is notified once until resolved) and a text that says what happened and what to do.
import type { Tenant } from "../../hr/tenants.js";
import type { Problem } from "../../notifications/notifier.js";
import type { EntraConnection } from "./connection-store.js";
import { GraphRefusedError } from "./graph-client.js";

export const RUN_PROBLEM_PREFIX = "entra.run:";
export const LOGS_PROBLEM_KEY = "entra.logs:unreadable";
export const outcomeProblemPrefix = (externalId: string) => `entra.outcome:${externalId}:`;

const FOOTER = (tenant: Tenant) => `\n\nCheck the connection with \`npm run --silent cli -- entra test --tenant ${tenant.slug}\`; the run log is in \`entra runs --tenant ${tenant.slug}\`. The push resumes by itself once the cause is fixed; you are told again only if a new problem appears.`;

export function runFailedProblem(tenant: Tenant, conn: EntraConnection, error: Error, usersLeft: number): Problem {
  const kind = error instanceof GraphRefusedError ? `refused-${error.status ?? "token"}` : "unavailable";
  return {
    key: `${RUN_PROBLEM_PREFIX}${kind}`,
    subject: `hr-scim: pushing employees to Microsoft Entra ID failed for ${tenant.name}`,
    body: `The push of tenant ${tenant.slug} to Microsoft Entra ID (job ${conn.jobId}) stopped with ${usersLeft} employee(s) not sent.\n\n${error.message}${FOOTER(tenant)}`,
  };
}

export function logsUnreadableProblem(tenant: Tenant, conn: EntraConnection, detail: string): Problem {
  return {
    key: LOGS_PROBLEM_KEY,
    subject: `hr-scim: cannot read Microsoft Entra provisioning logs for ${tenant.name}`,
    body: `hr-scim could not read the provisioning logs of job ${conn.jobId}, so it cannot tell whether Entra created, updated or disabled the employees it sent (${detail}). Grant the app registration (client id ${conn.clientId}) the Microsoft Graph application permission ProvisioningLog.Read.All with admin consent.${FOOTER(tenant)}`,
  };
}

export function outcomeFailedProblem(tenant: Tenant, externalId: string, intent: "create" | "disable", errorCode: string | null, reason: string | null): Problem {
  const what = intent === "disable"
    ? `could not disable employee ${externalId}, who left: the account stays enabled, which is a security risk. Disable it by hand in the Entra admin center now if the cause cannot be fixed quickly.`
    : `could not create an account for employee ${externalId}.`;
  return {
    key: `${outcomeProblemPrefix(externalId)}${intent}`,
    subject: `hr-scim: Microsoft Entra ID ${intent === "disable" ? "did not disable a leaver" : "could not create an employee"} (${tenant.name})`,
    body: `Microsoft Entra ID ${what}\n\nEntra's error${errorCode ? ` ${errorCode}` : ""}: ${reason ?? "(no detail)"}\n\nSee the provisioning logs of the API-driven provisioning app (Enterprise applications > your app > Provisioning logs, filter on employee ${externalId}), fix the attribute mapping or the conflicting account, then change anything on the employee in HR (or run \`entra sync --tenant ${tenant.slug} --full\`) to send them again.${FOOTER(tenant)}`,
  };
}
