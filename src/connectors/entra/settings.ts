// What an Entra connection is made of, its defaults and the checks on each value, shared by the CLI
// (and later the admin console). No database, no network here.
//
// Numbers from Microsoft's documentation (docs/ENTRA.md cites the pages):
// - at most 50 operations in one bulkUpload request (API reference "Perform bulkUpload");
// - 40 calls per 5 seconds and 6,000 calls per 24 hours (troubleshooting page
//   "Troubleshoot inbound provisioning API issues", March 2025); the API reference still says 40
//   calls per second, so the stricter window is the default pace.

export const DEFAULT_GRAPH_URL = "https://graph.microsoft.com";
export const DEFAULT_LOGIN_URL = "https://login.microsoftonline.com";
export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";
export const MAX_OPERATIONS_PER_REQUEST = 50;
/** 40 calls per 5 seconds. */
export const MAX_RATE_PER_SECOND = 8;
export const DAILY_CALL_BUDGET = 6000;
export const DAY_MS = 24 * 60 * 60 * 1000;

export interface EntraSettings {
  directoryId: string;
  clientId: string;
  servicePrincipalId: string;
  jobId: string;
  graphUrl: string;
  loginUrl: string;
  /** bulkUpload calls per second, at most MAX_RATE_PER_SECOND. */
  ratePerSecond: number;
  /** Future employees are sent from this many days before their first start (active: false until it). */
  futureDays: number;
  /** Work email domains in scope; null: the tenant's allowedEmailDomains (empty: any). */
  domains: string[] | null;
  /** Leavers stay in scope (active: false) this many days after their last contract ended; null: no limit. */
  leaverDays: number | null;
  notifyEmails: string[];
  notifyWebhookUrl: string | null;
}

/** A setting refused: `setting` as the caller named it (the CLI's option without "--", or the API's field). */
export class InvalidEntraSettingError extends Error {
  constructor(readonly setting: string, readonly reason: string) {
    super(`--${setting} ${reason}`);
    this.name = "InvalidEntraSettingError";
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A directory (tenant) is named by its GUID or one of its verified domain names.
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
// Job ids look like "API2AAD.<hex>.<guid>": letters, digits, dots, hyphens, underscores.
const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const EMAIL = /^[^\s@<>(),;:"[\]\\]{1,64}@([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export function validateDirectoryId(value: string, setting = "directory-id"): string {
  if (!GUID.test(value) && !DOMAIN.test(value)) throw new InvalidEntraSettingError(setting, `must be the Directory (tenant) ID, a GUID such as 00000000-0000-0000-0000-000000000000 (App registrations > your app > Overview), got "${value}"`);
  return value.toLowerCase();
}

export function validateGuid(option: string, value: string, where: string): string {
  if (!GUID.test(value)) throw new InvalidEntraSettingError(option, `must be a GUID (${where}), got "${value}"`);
  return value.toLowerCase();
}

export function validateJobId(value: string, setting = "job-id"): string {
  if (!JOB_ID.test(value)) throw new InvalidEntraSettingError(setting, `must be the provisioning job id, the part after /jobs/ in the Provisioning API Endpoint URL (such as API2AAD.0123abcd....), got "${value}"`);
  return value;
}

/** An absolute https URL, or http to this machine (tests and local fakes). */
function httpsUrl(option: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidEntraSettingError(option, `must be an absolute URL such as https://example.com, got "${value}"`);
  }
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && local)) {
    throw new InvalidEntraSettingError(option, `must use https (plain http only to localhost), got "${value}"`);
  }
  return url;
}

/** A base URL (Graph, login): https, no credentials, query or fragment, no trailing slash. */
export function validateBaseUrl(option: string, value: string): string {
  const url = httpsUrl(option, value);
  if (url.username || url.password || url.search || url.hash) throw new InvalidEntraSettingError(option, `must not carry credentials, a query or a fragment`);
  return url.origin + url.pathname.replace(/\/+$/, "");
}

export function validateRate(value: string, setting = "rate"): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0) || n > MAX_RATE_PER_SECOND) {
    throw new InvalidEntraSettingError(setting, `must be a number of requests per second above 0 and at most ${MAX_RATE_PER_SECOND} (Graph allows 40 calls per 5 seconds), got "${value}"`);
  }
  return n;
}

export function validateDays(option: string, value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 3650) throw new InvalidEntraSettingError(option, `must be a whole number of days from 0 to 3650, got "${value}"`);
  return Number(value);
}

export function validateDomain(value: string, setting = "domain"): string {
  const d = value.trim().toLowerCase();
  if (!DOMAIN.test(d)) throw new InvalidEntraSettingError(setting, `must be an email domain such as example.com, got "${value}"`);
  return d;
}

export function validateEmail(value: string, setting = "notify-email"): string {
  if (!EMAIL.test(value.trim())) throw new InvalidEntraSettingError(setting, `must be an email address, got "${value}"`);
  return value.trim();
}

export function validateWebhookUrl(value: string, setting = "notify-webhook"): string {
  return httpsUrl(setting, value).toString();
}

/** A webhook URL as shown: its origin only, since such URLs often carry a secret in the path. */
export function maskWebhookUrl(value: string | null): string | null {
  if (!value) return null;
  try { return `${new URL(value).origin}/…`; } catch { return "…"; }
}

/** The bulkUpload endpoint of a connection. */
export function bulkUploadUrl(s: Pick<EntraSettings, "graphUrl" | "servicePrincipalId" | "jobId">): string {
  return `${s.graphUrl}/v1.0/servicePrincipals/${encodeURIComponent(s.servicePrincipalId)}/synchronization/jobs/${encodeURIComponent(s.jobId)}/bulkUpload`;
}

export function jobUrl(s: Pick<EntraSettings, "graphUrl" | "servicePrincipalId" | "jobId">): string {
  return `${s.graphUrl}/v1.0/servicePrincipals/${encodeURIComponent(s.servicePrincipalId)}/synchronization/jobs/${encodeURIComponent(s.jobId)}`;
}

export function tokenUrl(s: Pick<EntraSettings, "loginUrl" | "directoryId">): string {
  return `${s.loginUrl}/${encodeURIComponent(s.directoryId)}/oauth2/v2.0/token`;
}
