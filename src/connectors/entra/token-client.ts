// Access tokens for Microsoft Graph: OAuth 2.0 client credentials against
// `{login-url}/{directory-id}/oauth2/v2.0/token` with scope https://graph.microsoft.com/.default
// (Microsoft identity platform, "OAuth 2.0 client credentials flow"), cached until shortly before
// they expire. The client secret and the tokens never appear in errors or logs.
import { fetchWithTimeout, NetworkError, oneLine, type HttpDeps } from "./http.js";
import { GRAPH_SCOPE, tokenUrl } from "./settings.js";

/** Renew this long before expiry, so that a token never expires during a paced run's call. */
const EARLY_RENEWAL_MS = 5 * 60 * 1000;

/** The token endpoint refused: the configuration must change (not retried). */
export class TokenRefusedError extends Error {}

export interface TokenCredentials {
  directoryId: string;
  clientId: string;
  loginUrl: string;
  /** Opens the client secret when a token is needed (it is not kept in memory otherwise). */
  clientSecret: () => string;
}

// AADSTS codes the token endpoint answers with, and what the admin must do.
const AADSTS_ADVICE: Record<string, string> = {
  "7000215": "the client secret is wrong: create a new one under App registrations > your app > Certificates & secrets, then connect again with it (the console, `PUT /admin/v1/tenants/{slug}/entra` or `entra connect`)",
  "7000222": "the client secret has expired: create a new one under App registrations > your app > Certificates & secrets, then connect again with it (the console, `PUT /admin/v1/tenants/{slug}/entra` or `entra connect`)",
  "700016": "no application with this client id exists in the directory: check clientId (--client-id: App registrations > your app > Overview > Application (client) ID) and directoryId (--directory-id)",
  "90002": "the directory was not found: check directoryId (--directory-id: the Directory (tenant) ID on the app's Overview page)",
  "900023": "the directory id is neither a GUID nor a domain name: check directoryId (--directory-id)",
  "7000112": "the application is disabled in the directory: enable it (Enterprise applications > your app > Properties)",
  "500011": "Microsoft Graph is not available to this directory: check loginUrl (--login-url) and graphUrl (--graph-url)",
};

export class TokenClient {
  private cached: { token: string; renewAt: number } | null = null;

  constructor(private readonly credentials: TokenCredentials, private readonly deps: HttpDeps) {}

  /** A valid access token, from the cache unless it is close to expiry or `fresh` is asked. */
  async token(fresh = false): Promise<string> {
    const now = this.deps.now().getTime();
    if (!fresh && this.cached && now < this.cached.renewAt) return this.cached.token;
    this.cached = null;
    const c = this.credentials;
    let secret: string;
    try {
      secret = c.clientSecret();
    } catch (e) {
      throw new TokenRefusedError((e as Error).message);
    }
    const form = new URLSearchParams({ client_id: c.clientId, scope: GRAPH_SCOPE, client_secret: secret, grant_type: "client_credentials" });
    let res: Response;
    try {
      res = await fetchWithTimeout(this.deps, tokenUrl(c), {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body: form.toString(),
      });
    } catch (e) {
      if (e instanceof NetworkError) throw new NetworkError(`token endpoint ${c.loginUrl}: ${e.message}`);
      throw e;
    }
    const body = await res.json().catch(() => null) as { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown; error_codes?: unknown } | null;
    if (res.status === 200 && body && typeof body.access_token === "string" && body.access_token) {
      const expiresIn = Number(body.expires_in);
      const lifetimeMs = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : 3600_000;
      this.cached = { token: body.access_token, renewAt: now + Math.max(lifetimeMs - EARLY_RENEWAL_MS, lifetimeMs / 2) };
      return body.access_token;
    }
    if (res.status >= 500 || res.status === 429) throw new NetworkError(`token endpoint answered ${res.status}`);
    throw new TokenRefusedError(describeRefusal(res.status, body));
  }

  /** Forgets the cached token (Graph answered 401 with it). */
  invalidate(): void {
    this.cached = null;
  }
}

function describeRefusal(status: number, body: { error?: unknown; error_description?: unknown; error_codes?: unknown } | null): string {
  const error = typeof body?.error === "string" ? body.error : `HTTP ${status}`;
  const description = typeof body?.error_description === "string" ? body.error_description : "";
  const code = Array.isArray(body?.error_codes) && body!.error_codes.length ? String(body!.error_codes[0]) : /AADSTS(\d+)/.exec(description)?.[1];
  const advice = code && Object.hasOwn(AADSTS_ADVICE, code) ? AADSTS_ADVICE[code] : "check directoryId (--directory-id), clientId (--client-id) and the client secret";
  // The first line of the description names the AADSTS code and the reason; the rest is trace ids.
  const reason = oneLine(description.split(/\r?\n/)[0] ?? "", 300);
  return `The Microsoft token endpoint refused the client credentials (${error}${reason ? `: ${reason}` : ""}): ${advice}.`;
}
