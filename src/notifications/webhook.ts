// Webhook notifications: one JSON POST per problem to the tenant's URL, with a timeout. The URL
// may carry a secret (chat webhooks do): it is never logged or shown in full.
export type PostJson = (url: string, body: unknown) => Promise<void>;

export class WebhookError extends Error {}

export function webhookPoster(fetchImpl: typeof fetch = fetch, options: { timeoutMs?: number } = {}): PostJson {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return async (url, body) => {
    let res: Response;
    try {
      res = await fetchImpl(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw new WebhookError(`the webhook did not answer (${(e as Error).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : "network error"})`);
    }
    await res.arrayBuffer().catch(() => undefined);
    if (res.status < 200 || res.status >= 300) throw new WebhookError(`the webhook answered HTTP ${res.status}`);
  };
}
