// What the Entra HTTP clients share: an injectable fetch, sleep and clock (tests move time instead
// of waiting), a timeout per call, Retry-After parsing, backoff with jitter, and reading Graph's and
// the token endpoint's error bodies. Never logs or returns request bodies or Authorization headers.

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;
export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export interface HttpDeps {
  fetch: FetchLike;
  sleep: Sleep;
  now: () => Date;
  /** Uniform in [0, 1): jitter (tests make it deterministic). */
  random: () => number;
  /** Real milliseconds a call may take before it counts as failed (and is retried). */
  requestTimeoutMs: number;
}

/** A failure of the network or a timeout: nothing was answered. */
export class NetworkError extends Error {}

/** fetch with a timeout; network failures and timeouts become NetworkError. */
export async function fetchWithTimeout(deps: Pick<HttpDeps, "fetch" | "requestTimeoutMs">, url: string, init: RequestInit): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deps.requestTimeoutMs);
  try {
    const res = await deps.fetch(url, { ...init, signal: controller.signal });
    // The body is read under the same timeout: a response that stalls midway fails too.
    const body = await res.arrayBuffer();
    return new Response(res.status === 204 || res.status === 304 ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers });
  } catch (e) {
    if (controller.signal.aborted) throw new NetworkError(`no answer within ${deps.requestTimeoutMs} ms`);
    // fetch reports network failures as TypeError ("fetch failed", with the cause); anything
    // else is not a network failure and goes up as it is.
    if (e instanceof TypeError) throw new NetworkError(describeNetworkError(e));
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

function describeNetworkError(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e as Error).message ?? String(e);
}

/** Retry-After in milliseconds (delta-seconds or an HTTP date), or null. */
export function retryAfterMs(header: string | null, now: Date): number | null {
  if (!header) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now.getTime()) : null;
}

/** Exponential backoff with full jitter: attempt 1 waits up to base, then 2x, ... capped. */
export function backoffMs(attempt: number, random: () => number, baseMs = 1000, capMs = 60_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Graph's error body `{"error": {"code", "message"}}` as one short line, or the status text. */
export async function graphErrorText(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } | string; error_description?: string };
    if (body.error && typeof body.error === "object") return oneLine([body.error.code, body.error.message].filter(Boolean).join(": "));
    if (typeof body.error === "string") return oneLine([body.error, body.error_description].filter(Boolean).join(": "));
  } catch {
    // not JSON
  }
  return oneLine(text) || `HTTP ${res.status}`;
}

export function oneLine(text: string, max = 500): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
