// `entra test`: gets a token, reads the permissions it carries, reads the provisioning job and the
// provisioning logs, and says for each step what is missing when it fails. It sends nothing.
import { findConnection } from "./connection-store.js";
import { graphClientFor, tokenClientFor, type EntraContext } from "./context.js";
import { NetworkError } from "./http.js";
import { provisioningLogsUrl } from "./outcomes.js";
import { TokenRefusedError } from "./token-client.js";

export interface CheckStep {
  step: "token" | "permissions" | "job" | "logs";
  ok: boolean;
  detail: string;
}

export const REQUIRED_ROLES = ["SynchronizationData-User.Upload", "ProvisioningLog.Read.All"] as const;

/** The `roles` claim of an app-only token, when the token is a readable JWT (not validated: diagnostics only). */
export function tokenRoles(token: string): string[] | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as { roles?: unknown };
    return Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === "string") : [];
  } catch {
    return null;
  }
}

export async function checkConnection(ctx: EntraContext, tenantId: number): Promise<{ ok: boolean; steps: CheckStep[] }> {
  const conn = await findConnection(ctx.db, tenantId);
  if (!conn) return { ok: false, steps: [{ step: "token", ok: false, detail: "No Entra connection: run `entra connect` first" }] };
  const steps: CheckStep[] = [];
  let token: string;
  try {
    token = await tokenClientFor(ctx, conn).token(true);
    steps.push({ step: "token", ok: true, detail: `obtained from ${conn.loginUrl} for client ${conn.clientId} in directory ${conn.directoryId}` });
  } catch (e) {
    if (e instanceof TokenRefusedError || e instanceof NetworkError) {
      steps.push({ step: "token", ok: false, detail: e instanceof NetworkError ? `the token endpoint did not answer (${e.message}): check loginUrl (--login-url) and this server's outbound access` : e.message });
      return { ok: false, steps };
    }
    throw e;
  }

  const roles = tokenRoles(token);
  if (roles === null) {
    steps.push({ step: "permissions", ok: true, detail: "the token does not list its permissions; the job and logs checks below tell" });
  } else {
    const missing = REQUIRED_ROLES.filter((r) => !roles.includes(r));
    steps.push(missing.length
      ? { step: "permissions", ok: false, detail: `missing Microsoft Graph application permission(s) ${missing.join(", ")}: App registrations > your app > API permissions > Add a permission > Microsoft Graph > Application permissions, add them, then Grant admin consent (granted now: ${roles.join(", ") || "none"})` }
      : { step: "permissions", ok: true, detail: `granted: ${REQUIRED_ROLES.join(", ")}` });
  }

  const graph = graphClientFor(ctx, conn);
  const job = await graph.getJob();
  if (job.status === 200) {
    const status = (job.body as { status?: { code?: unknown; quarantine?: { reason?: unknown } | null } } | null)?.status;
    const code = typeof status?.code === "string" ? status.code : "unknown";
    const quarantine = typeof status?.quarantine?.reason === "string" && status.quarantine.reason ? `; in quarantine: ${status.quarantine.reason}` : "";
    const running = code === "Active" || code === "NotRun";
    steps.push({ step: "job", ok: running && !quarantine, detail: `job ${conn.jobId} found, status ${code}${quarantine}${running ? "" : ": start it (Enterprise applications > your app > Provisioning > Start provisioning); a paused job keeps uploads without processing them"}` });
  } else if (job.status === 403) {
    steps.push({ step: "job", ok: false, detail: `cannot read job ${conn.jobId} (403): reading it needs the application permission Synchronization.Read.All (only this test uses it; pushing does not)` });
  } else if (job.status === 404) {
    steps.push({ step: "job", ok: false, detail: `no job ${conn.jobId} on service principal ${conn.servicePrincipalId} (404): copy both ids from the Provisioning API Endpoint URL (Provisioning > View technical information) and run \`entra connect\` again` });
  } else {
    steps.push({ step: "job", ok: false, detail: `reading job ${conn.jobId} failed (HTTP ${job.status || "network failure"}${job.error ? `: ${job.error}` : ""})` });
  }

  const logs = await graph.getJson(provisioningLogsUrl(conn, new Date(ctx.http.now().getTime() - 60 * 60 * 1000)).replace(/\$top=\d+/, "$top=1"));
  steps.push(logs.status === 200
    ? { step: "logs", ok: true, detail: "provisioning logs readable" }
    : logs.status === 403
      ? { step: "logs", ok: false, detail: "cannot read provisioning logs (403): grant the application permission ProvisioningLog.Read.All with admin consent, so that hr-scim can tell what Entra did with each employee" }
      : { step: "logs", ok: false, detail: `reading provisioning logs failed (HTTP ${logs.status || "network failure"}${logs.error ? `: ${logs.error}` : ""})` });
  return { ok: steps.every((s) => s.ok), steps };
}
