// A fake Microsoft Graph and Microsoft identity platform token endpoint, on an ephemeral local
// port, for the Entra connector's tests. It checks every request against the documented contract
// (docs/ENTRA.md): the token request's form, the bearer token, bulkUpload's content type, BulkRequest
// schema, operation count and shape, and the call rate (40 per 5 seconds, 6,000 per 24 hours) on
// its own clock (the test's). Anything off is recorded in `violations` and answered as Graph would.
// On demand it answers 401, 403, 404, 429 with Retry-After, 5xx, slowly, or serves provisioning
// logs with failures.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export const USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User";
export const BULK_URN = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

export interface FakeGraphOptions {
  directoryId: string;
  clientId: string;
  clientSecret: string;
  servicePrincipalId: string;
  jobId: string;
  /** The clock the rate limits and log times use (the test's), in ms. */
  now?: () => number;
  /** Token lifetime in seconds. */
  tokenLifetimeSeconds?: number;
  /** Application permissions the tokens carry (their `roles` claim). */
  roles?: string[];
}

export interface Fault {
  status?: number;
  retryAfter?: string;
  /** Real milliseconds to wait before answering (the client times out first when it is short). */
  delayMs?: number;
  body?: unknown;
  /** Accept the request (202) but only after the delay (a slow success). */
  accept?: boolean;
}

export interface ReceivedRequest {
  at: number;
  operations: { bulkId: string; data: Record<string, any> }[];
}

export interface ProvisioningLog {
  id: string;
  activityDateTime: string;
  jobId: string;
  provisioningAction: string;
  provisioningStatusInfo: { status: string; errorInformation: { errorCode: string; reason: string } | null };
  sourceIdentity: { id: string; displayName: string; identityType: string };
  modifiedProperties: { displayName: string; oldValue: string | null; newValue: string | null }[];
}

export class FakeGraph {
  readonly violations: string[] = [];
  /** Accepted bulk requests, in order. */
  readonly accepted: ReceivedRequest[] = [];
  /** Every call to bulkUpload (accepted or not), with its answer. */
  readonly calls: { at: number; status: number }[] = [];
  readonly tokenRequests: { at: number }[] = [];
  readonly logs: ProvisioningLog[] = [];
  readonly logQueries: string[] = [];
  /** Employee numbers whose next processing fails in the logs (errorCode, reason). */
  readonly failOutcomes = new Map<string, { errorCode: string; reason: string }>();
  jobReadable = true;
  jobStatus = "Active";
  forbidBulk = false;
  /** Graph answers 401 to every token (as for a token of another directory). */
  rejectTokens = false;
  /** Every access token issued (tests check that none leaks). */
  readonly issuedTokens: string[] = [];
  /** The most bulkUpload calls ever in progress at once. */
  maxInFlight = 0;
  private inFlight = 0;
  forbidLogs = false;
  /** Validate the rate on the fake's clock (tests that switch pacing off turn it off). */
  checkRate = true;
  /** Keep each operation's whole data and write provisioning logs (the benchmark keeps employee numbers only). */
  keepPayloads = true;
  private faults: Fault[] = [];
  private revokedBefore = 0;
  private tokens = new Map<string, number>(); // token -> expiry (ms, fake clock)
  private server: http.Server | null = null;
  baseUrl = "";

  constructor(readonly options: FakeGraphOptions) {}

  get now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        this.handle(req, Buffer.concat(chunks).toString("utf8"), res).catch((e) => {
          this.violations.push(`fake graph crashed: ${(e as Error).message}`);
          if (!res.headersSent) res.writeHead(500).end();
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** The next bulkUpload calls answer these faults, in order. */
  failNext(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  /** Tokens issued so far stop working (Graph answers 401 with them). */
  revokeTokens(): void {
    this.revokedBefore = this.now + 1;
    this.tokens.clear();
  }

  /** Every employee number sent, in order (one entry per operation accepted). */
  sentExternalIds(): string[] {
    return this.accepted.flatMap((r) => r.operations.map((o) => o.data.externalId as string));
  }

  private json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { "Content-Type": "application/json", "request-id": crypto.randomUUID(), ...headers });
    res.end(body === undefined ? "" : JSON.stringify(body));
  }

  private graphError(res: http.ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
    this.json(res, status, { error: { code, message, innerError: { date: new Date(this.now).toISOString() } } }, headers);
  }

  private async handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.baseUrl);
    const o = this.options;
    if (req.method === "POST" && url.pathname === `/${o.directoryId}/oauth2/v2.0/token`) return this.token(req, body, res);
    if (req.method === "POST" && /\/oauth2\/v2\.0\/token$/.test(url.pathname)) {
      return this.json(res, 400, { error: "invalid_request", error_description: "AADSTS90002: Tenant not found. Check to make sure you have the correct tenant ID.\r\nTrace ID: x", error_codes: [90002] });
    }
    if (!url.pathname.startsWith("/v1.0/")) return this.graphError(res, 404, "BadRequest", "Invalid version");
    if (!this.authorized(req)) return this.graphError(res, 401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.");
    const jobPath = `/v1.0/servicePrincipals/${o.servicePrincipalId}/synchronization/jobs/${o.jobId}`;
    if (req.method === "POST" && url.pathname.endsWith("/bulkUpload")) {
      if (url.pathname !== `${jobPath}/bulkUpload`) return this.graphError(res, 404, "ResourceNotFound", "The job was not found.");
      return this.bulkUpload(req, body, res);
    }
    if (req.method === "GET" && url.pathname === jobPath) {
      if (!this.jobReadable) return this.graphError(res, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
      return this.json(res, 200, { id: o.jobId, templateId: "API2AAD", status: { code: this.jobStatus, quarantine: null } });
    }
    if (req.method === "GET" && url.pathname.startsWith(`/v1.0/servicePrincipals/`)) return this.graphError(res, 404, "ResourceNotFound", "Not found");
    if (req.method === "GET" && url.pathname === "/v1.0/auditLogs/provisioning") return this.provisioningLogs(url, res);
    return this.graphError(res, 404, "BadRequest", `No route ${req.method} ${url.pathname}`);
  }

  private token(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const o = this.options;
    this.tokenRequests.push({ at: this.now });
    if (!(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) this.violations.push("token request without a form content type");
    const form = new URLSearchParams(body);
    if (form.get("grant_type") !== "client_credentials") this.violations.push(`token grant_type ${form.get("grant_type")}`);
    if (form.get("scope") !== "https://graph.microsoft.com/.default") this.violations.push(`token scope ${form.get("scope")}`);
    if (form.get("client_id") !== o.clientId) {
      return this.json(res, 400, { error: "unauthorized_client", error_description: `AADSTS700016: Application with identifier '${form.get("client_id")}' was not found in the directory.\r\nTrace ID: x`, error_codes: [700016] });
    }
    if (form.get("client_secret") !== o.clientSecret) {
      return this.json(res, 401, { error: "invalid_client", error_description: "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.\r\nTrace ID: x", error_codes: [7000215] });
    }
    const lifetime = o.tokenLifetimeSeconds ?? 3599;
    const claims = { aud: "https://graph.microsoft.com", tid: o.directoryId, appid: o.clientId, roles: o.roles ?? ["SynchronizationData-User.Upload", "ProvisioningLog.Read.All"], jti: crypto.randomUUID() };
    const token = [Buffer.from('{"typ":"JWT","alg":"none"}').toString("base64url"), Buffer.from(JSON.stringify(claims)).toString("base64url"), "sig"].join(".");
    this.tokens.set(token, this.now + lifetime * 1000);
    this.issuedTokens.push(token);
    this.json(res, 200, { token_type: "Bearer", expires_in: lifetime, ext_expires_in: lifetime, access_token: token });
  }

  private authorized(req: http.IncomingMessage): boolean {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
    if (!m) { this.violations.push(`Graph call without a bearer token: ${req.method} ${req.url}`); return false; }
    const expiry = this.tokens.get(m[1]);
    return !this.rejectTokens && expiry !== undefined && expiry > this.now;
  }

  private async bulkUpload(req: http.IncomingMessage, body: string, res: http.ServerResponse): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.bulkUploadInFlight(req, body, res);
    } finally {
      this.inFlight--;
    }
  }

  private async bulkUploadInFlight(req: http.IncomingMessage, body: string, res: http.ServerResponse): Promise<void> {
    const at = this.now;
    const answer = (status: number, send: () => void) => { this.calls.push({ at, status }); send(); };
    if (this.checkRate) {
      const inWindow = this.calls.filter((c) => c.at > at - 5000).length;
      const inDay = this.calls.filter((c) => c.at > at - 86_400_000).length;
      if (inWindow >= 40) this.violations.push(`more than 40 calls within 5 s at ${new Date(at).toISOString()}`);
      if (inDay >= 6000) this.violations.push("more than 6,000 calls within 24 h");
      if (inWindow >= 40 || inDay >= 6000) return answer(429, () => this.graphError(res, 429, "TooManyRequests", "Too many requests", { "Retry-After": "5" }));
    }
    const fault = this.faults.shift();
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (this.forbidBulk) return answer(403, () => this.graphError(res, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."));
    if (fault && !fault.accept) {
      const status = fault.status ?? 503;
      return answer(status, () => this.json(res, status, fault.body ?? { error: { code: status === 429 ? "TooManyRequests" : "ServiceUnavailable", message: "Try again later" } }, fault.retryAfter ? { "Retry-After": fault.retryAfter } : {}));
    }
    const problems = this.checkBulkRequest(req.headers["content-type"], body);
    if (problems.length) {
      this.violations.push(...problems);
      return answer(400, () => this.graphError(res, 400, "BadRequest", `Invalid Data Format: ${problems[0]}`));
    }
    const parsed = JSON.parse(body) as { Operations: { bulkId: string; data: Record<string, any> }[] };
    this.accepted.push({ at, operations: parsed.Operations.map((op) => ({ bulkId: op.bulkId, data: this.keepPayloads ? op.data : { externalId: op.data.externalId } })) });
    if (this.keepPayloads) this.recordLogs(parsed.Operations, at);
    const location = `${this.baseUrl}/v1.0/auditLogs/provisioning/?$filter=jobid%20eq%20'${this.options.jobId}'`;
    answer(202, () => { res.writeHead(202, { "request-id": crypto.randomUUID(), Location: location, "Content-Length": "0" }); res.end(); });
  }

  /** The documented BulkRequest contract; each broken rule is one line. */
  checkBulkRequest(contentType: string | undefined, body: string): string[] {
    const problems: string[] = [];
    if (!/^application\/scim\+json(\s*;|$)/.test(contentType ?? "")) problems.push(`Content-Type ${contentType}, expected application/scim+json`);
    let parsed: any;
    try { parsed = JSON.parse(body); } catch { return [...problems, "body is not JSON"]; }
    if (!Array.isArray(parsed?.schemas) || parsed.schemas.length !== 1 || parsed.schemas[0] !== BULK_URN) problems.push(`schemas ${JSON.stringify(parsed?.schemas)}`);
    const ops = parsed?.Operations;
    if (!Array.isArray(ops) || ops.length < 1 || ops.length > 50) return [...problems, `Operations must hold 1 to 50 operations, got ${Array.isArray(ops) ? ops.length : typeof ops}`];
    const bulkIds = new Set<string>();
    const externalIds = new Set<string>();
    for (const [i, op] of ops.entries()) {
      const where = `Operations[${i}]`;
      if (op.method !== "POST") problems.push(`${where}.method ${op.method}`);
      if (op.path !== "/Users") problems.push(`${where}.path ${op.path}`);
      if (typeof op.bulkId !== "string" || !op.bulkId) problems.push(`${where}.bulkId missing`);
      else if (bulkIds.has(op.bulkId)) problems.push(`${where}.bulkId ${op.bulkId} repeated`);
      else bulkIds.add(op.bulkId);
      const d = op.data;
      if (!d || typeof d !== "object") { problems.push(`${where}.data missing`); continue; }
      if (!Array.isArray(d.schemas) || !d.schemas.includes(USER_URN)) problems.push(`${where}.data.schemas lacks the core User schema`);
      if (typeof d.externalId !== "string" || !d.externalId) problems.push(`${where}.data.externalId missing`);
      else if (externalIds.has(d.externalId)) problems.push(`${where}.data.externalId ${d.externalId} repeated`);
      else externalIds.add(d.externalId);
      if (typeof d.userName !== "string" || !d.userName) problems.push(`${where}.data.userName missing`);
      if (typeof d.active !== "boolean") problems.push(`${where}.data.active is not a boolean`);
      for (const key of Object.keys(d)) {
        if (key.startsWith("urn:") && !d.schemas?.includes(key)) problems.push(`${where}.data.${key} is not listed in schemas`);
      }
      for (const urn of d.schemas ?? []) {
        if (urn !== USER_URN && (typeof d[urn] !== "object" || d[urn] === null)) problems.push(`${where}.data.schemas lists ${urn} without its attributes`);
      }
      if ("id" in d || "meta" in d) problems.push(`${where}.data carries hr-scim's id or meta`);
    }
    return problems;
  }

  /** Provisioning log entries for accepted operations, as Entra writes them later. */
  private recordLogs(ops: { data: Record<string, any> }[], at: number): void {
    for (const op of ops) {
      const externalId = op.data.externalId as string;
      const failure = this.failOutcomes.get(externalId);
      const active = op.data.active === true;
      this.logs.push({
        id: crypto.randomUUID(),
        activityDateTime: new Date(at + 1000).toISOString(),
        jobId: this.options.jobId,
        provisioningAction: failure ? (active ? "create" : "update") : active ? "update" : "update",
        provisioningStatusInfo: failure ? { status: "failure", errorInformation: failure } : { status: "success", errorInformation: null },
        sourceIdentity: { id: externalId, displayName: "", identityType: "User" },
        modifiedProperties: active ? [] : [{ displayName: "accountEnabled", oldValue: "True", newValue: "False" }],
      });
    }
  }

  private provisioningLogs(url: URL, res: http.ServerResponse): void {
    this.logQueries.push(url.search);
    if (this.forbidLogs) return this.graphError(res, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
    const filter = url.searchParams.get("$filter") ?? "";
    const m = /^jobId eq '([^']+)' and activityDateTime gt (\S+)$/.exec(filter);
    if (!m) { this.violations.push(`provisioning logs $filter ${filter}`); return this.graphError(res, 400, "BadRequest", "Invalid filter"); }
    const top = Number(url.searchParams.get("$top") ?? "100");
    const skip = Number(url.searchParams.get("$skiptoken") ?? "0");
    const matching = this.logs.filter((l) => l.jobId === m[1] && l.activityDateTime > new Date(m[2]).toISOString());
    const page = matching.slice(skip, skip + top);
    const next = skip + top < matching.length ? `${this.baseUrl}/v1.0/auditLogs/provisioning?$filter=${encodeURIComponent(filter)}&$top=${top}&$skiptoken=${skip + top}` : undefined;
    this.json(res, 200, { "@odata.context": `${this.baseUrl}/v1.0/$metadata#auditLogs/provisioning`, value: page, ...(next ? { "@odata.nextLink": next } : {}) });
  }
}
