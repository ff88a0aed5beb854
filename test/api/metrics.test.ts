// /metrics (src/http/metrics.ts): Prometheus text behind its own bearer token; requests counted by
// route pattern, status and tenant, never by the client's path.
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createMetrics, metricsOnlyServer } from "../../src/http/metrics.js";
import { makeTenant } from "../support/build-test-app.js";
import { bearer } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";

const METRICS_TOKEN = "metrics-token-for-tests-0123456789";
const t = useTestApp({ metricsToken: METRICS_TOKEN });

describe("/metrics", () => {
  it("refuses a scrape without the metrics token, and a SCIM token is not one", async () => {
    const tenant = await makeTenant(t.db);
    expect((await t.request().get("/metrics")).status).toBe(401);
    expect((await t.request().get("/metrics").set(bearer(await t.token(tenant.slug)))).status).toBe(401);
  });

  it("counts requests by route pattern, status and tenant, with latency histograms and the log backlog", async () => {
    const tenant = await makeTenant(t.db);
    const token = await t.token(tenant.slug);
    await t.request().get("/scim/v2/Users").set(bearer(token));
    await t.request().get("/scim/v2/Users/12345").set(bearer(token));
    await t.request().get("/scim/v2/no-such-thing-secret-path").set(bearer(token));
    const res = await t.request().get("/metrics").set("Authorization", `Bearer ${METRICS_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain/);
    expect(res.text).toContain(`hrscim_http_requests_total{route="/scim/v2/Users",method="GET",status="200",tenant="${tenant.slug}"} 1`);
    expect(res.text).toContain(`hrscim_http_requests_total{route="/scim/v2/Users/:id",method="GET",status="404",tenant="${tenant.slug}"} 1`);
    expect(res.text).toMatch(/hrscim_http_request_duration_seconds_bucket\{le="0.005",route="\/scim\/v2\/Users"/);
    expect(res.text).toContain("hrscim_integration_log_backlog");
    expect(res.text).toContain("hrscim_entra_failed_employees_last_24h");
    expect(res.text).not.toContain("no-such-thing-secret-path");
  });

  it("is served alone, without a token, on METRICS_PORT's server, which answers nothing else", async () => {
    const server = metricsOnlyServer(createMetrics({ db: t.db, integrationLog: t.integrationLog, defaultMetrics: false })).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const res = await fetch(`${base}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("hrscim_integration_log_backlog");
      expect((await fetch(`${base}/scim/v2/Users`)).status).toBe(404);
      expect((await fetch(`${base}/metrics`, { method: "POST" })).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
