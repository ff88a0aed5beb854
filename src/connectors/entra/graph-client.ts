// Microsoft Graph calls of the connector: bulkUpload (API reference "Perform bulkUpload"), the
// synchronization job (for `entra test`) and the provisioning logs (API reference "List
// provisioningObjectSummary"). bulkUpload is retried on 429, 5xx and network failures with
// exponential backoff and jitter, honouring Retry-After; a 401 gets a fresh token once; 401 again,
// 403, 404 and 400 stop with an error saying what the admin must change. Every attempt is reported
// to the caller, which records it, before the next one starts.
import crypto from "node:crypto";
import { backoffMs, fetchWithTimeout, graphErrorText, NetworkError, retryAfterMs, type HttpDeps } from "./http.js";
import { bulkUploadUrl, jobUrl, type EntraSettings } from "./settings.js";
import { TokenClient, TokenRefusedError } from "./token-client.js";

/** Graph refused in a way that retrying cannot fix: the configuration or the permissions must change. */
export class GraphRefusedError extends Error {
  constructor(message: string, readonly status: number | null) { super(message); }
}

/** Graph stayed unavailable (429, 5xx, timeouts) through every attempt, or asked to wait longer than a run waits. */
export class GraphUnavailableError extends Error {
  constructor(message: string, readonly resumeAt: Date | null) { super(message); }
}

export interface AttemptReport {
  attempt: number;
  at: Date;
  httpStatus: number | null;
  outcome: "accepted" | "retry" | "failed";
  durationMs: number;
  retryAfterMs: number | null;
  clientRequestId: string;
  graphRequestId: string | null;
  location: string | null;
  error: string | null;
}

export interface GraphClientOptions {
  /** Calls per bulk request before giving up (the first one included). */
  maxAttempts: number;
  /** A Retry-After longer than this ends the run as waiting instead of sleeping through it. */
  maxInlineWaitMs: number;
}

export const DEFAULT_GRAPH_CLIENT_OPTIONS: GraphClientOptions = { maxAttempts: 6, maxInlineWaitMs: 5 * 60 * 1000 };

type Target = Pick<EntraSettings, "graphUrl" | "servicePrincipalId" | "jobId" | "clientId" | "directoryId">;

export class GraphClient {
  constructor(
    private readonly target: Target,
    private readonly tokens: TokenClient,
    private readonly deps: HttpDeps,
    private readonly options: GraphClientOptions = DEFAULT_GRAPH_CLIENT_OPTIONS,
  ) {}

  /**
   * Posts one SCIM BulkRequest. `beforeAttempt` runs before every call (pacing and budget);
   * `onAttempt` receives each attempt's report. Resolves on 202 only.
   */
  async bulkUpload(
    body: string,
    hooks: { beforeAttempt: () => Promise<void>; onAttempt: (report: AttemptReport) => Promise<void> },
  ): Promise<AttemptReport> {
    const url = bulkUploadUrl(this.target);
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      await hooks.beforeAttempt();
      const at = this.deps.now();
      const started = performance.now();
      const clientRequestId = crypto.randomUUID();
      const report: AttemptReport = {
        attempt, at, httpStatus: null, outcome: "retry", durationMs: 0, retryAfterMs: null,
        clientRequestId, graphRequestId: null, location: null, error: null,
      };
      let res: Response | null = null;
      try {
        const token = await this.tokens.token();
        res = await fetchWithTimeout(this.deps, url, {
          method: "POST",
          headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/scim+json", Accept: "application/json", "client-request-id": clientRequestId },
          body,
        });
      } catch (e) {
        if (e instanceof TokenRefusedError) {
          report.outcome = "failed";
          report.error = e.message;
          report.durationMs = Math.round(performance.now() - started);
          await hooks.onAttempt(report);
          throw new GraphRefusedError(e.message, null);
        }
        if (!(e instanceof NetworkError)) throw e;
        report.error = e.message;
      }
      report.durationMs = Math.round(performance.now() - started);
      if (res) {
        report.httpStatus = res.status;
        report.graphRequestId = res.headers.get("request-id");
        if (res.status === 202) {
          report.outcome = "accepted";
          report.location = res.headers.get("location");
          await hooks.onAttempt(report);
          return report;
        }
        report.error = await graphErrorText(res);
        report.retryAfterMs = retryAfterMs(res.headers.get("retry-after"), this.deps.now());
      }

      const status = res?.status ?? null;
      if (status === 401 && !refreshed) {
        // The cached token may have been revoked or expired early: one fresh token, at once.
        refreshed = true;
        this.tokens.invalidate();
        await hooks.onAttempt(report);
        continue;
      }
      const retryable = status === null || status === 429 || status >= 500;
      if (!retryable) {
        report.outcome = "failed";
        await hooks.onAttempt(report);
        throw new GraphRefusedError(this.refusal(status!, report.error ?? ""), status);
      }
      if (attempt >= this.options.maxAttempts) {
        report.outcome = "failed";
        await hooks.onAttempt(report);
        throw new GraphUnavailableError(`Microsoft Graph did not accept the bulk request after ${attempt} attempts (last: ${status === null ? report.error : `HTTP ${status}: ${report.error}`}); it will be sent again later`, null);
      }
      const wait = report.retryAfterMs ?? backoffMs(attempt, this.deps.random);
      if (wait > this.options.maxInlineWaitMs) {
        report.outcome = "failed";
        await hooks.onAttempt(report);
        throw new GraphUnavailableError(`Microsoft Graph asked to wait ${Math.round(wait / 1000)} s (HTTP ${status}: ${report.error}); the run resumes then`, new Date(this.deps.now().getTime() + wait));
      }
      await hooks.onAttempt(report);
      await this.deps.sleep(wait);
    }
  }

  private refusal(status: number, graphText: string): string {
    const t = this.target;
    const said = graphText ? ` Graph said: ${graphText}` : "";
    switch (status) {
      case 401:
        return `Microsoft Graph refused the access token twice (401): the token from directory ${t.directoryId} for client id ${t.clientId} is not accepted. Check directoryId (--directory-id) and clientId (--client-id), and that the client secret is current.${said}`;
      case 403:
        return `Microsoft Graph answered 403 Forbidden to bulkUpload: the app registration (client id ${t.clientId}) lacks the Microsoft Graph application permission SynchronizationData-User.Upload with admin consent, or the job does not belong to service principal ${t.servicePrincipalId}. In the Entra admin center: App registrations > your app > API permissions > Add a permission > Microsoft Graph > Application permissions > SynchronizationData-User.Upload, then Grant admin consent.${said}`;
      case 404:
        return `Microsoft Graph found no provisioning job ${t.jobId} on service principal ${t.servicePrincipalId} (404): copy both ids from the Provisioning API Endpoint URL (Enterprise applications > your API-driven provisioning app > Provisioning > View technical information) and run \`entra connect\` again.${said}`;
      case 400:
        return `Microsoft Graph refused the bulk request as invalid (400).${said}`;
      default:
        return `Microsoft Graph refused the bulk request (HTTP ${status}).${said}`;
    }
  }

  /** GET of the synchronization job (needs Synchronization.Read.All): status and Graph's answer. */
  async getJob(): Promise<{ status: number; body: unknown; error: string | null }> {
    return this.getJson(jobUrl(this.target));
  }

  /** One page of provisioning logs; `url` is the first page's or a nextLink already checked. */
  async getJson(url: string): Promise<{ status: number; body: unknown; error: string | null }> {
    for (let attempt = 1; ; attempt++) {
      let res: Response | null = null;
      let error: string | null = null;
      try {
        const token = await this.tokens.token(attempt > 1 && this.lastWas401);
        res = await fetchWithTimeout(this.deps, url, { method: "GET", headers: { Authorization: `Bearer ${token}`, Accept: "application/json" } });
      } catch (e) {
        if (!(e instanceof NetworkError)) throw e;
        error = e.message;
      }
      this.lastWas401 = res?.status === 401;
      if (res && res.status === 200) return { status: 200, body: await res.json(), error: null };
      if (res) error = await graphErrorText(res);
      const status = res?.status ?? null;
      const retryable = status === null || status === 429 || status >= 500 || (status === 401 && attempt === 1);
      if (!retryable || attempt >= this.options.maxAttempts) return { status: status ?? 0, body: null, error };
      if (status !== 401) {
        const wait = retryAfterMs(res?.headers.get("retry-after") ?? null, this.deps.now()) ?? backoffMs(attempt, this.deps.random);
        if (wait > this.options.maxInlineWaitMs) return { status: status ?? 0, body: null, error };
        await this.deps.sleep(wait);
      }
    }
  }

  private lastWas401 = false;
}
