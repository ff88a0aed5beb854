// Regression: the request log and the integration log named paths as express had rewritten them by
// the time the response was logged: an error's log line gave the route "/Users" instead of
// "/scim/v2/Users", and a success's integration-log row the path "/Users". Both now name the route
// and the path as the client sent them (the path without its query string).
import crypto from "node:crypto";
import { Writable } from "node:stream";
import { expect, it } from "vitest";
import { bearer } from "../support/scim-client.js";
import { useTestApp } from "../support/use-test-app.js";
import { createLogger } from "../../src/logger.js";

const lines: string[] = [];
const capture = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...String(chunk).split("\n").filter(Boolean));
    done();
  },
});
const t = useTestApp({ logger: createLogger("info", { stream: capture }) });

it("logs the route and stores the path with /scim/v2, for successes and errors alike", async () => {
  const token = await t.token("demo");
  const calls = [
    { path: "/scim/v2/Users?count=1", status: 200, route: "/scim/v2/Users", stored: "/scim/v2/Users" },
    { path: "/scim/v2/Users?filter=bad", status: 400, route: "/scim/v2/Users", stored: "/scim/v2/Users" },
    { path: "/scim/v2/Users/2147483000", status: 404, route: "/scim/v2/Users/:id", stored: "/scim/v2/Users/2147483000" },
    { path: "/scim/v2/Groups/LUCCA_COUNTRY-ES?attributes=id", status: 200, route: "/scim/v2/Groups/:id", stored: "/scim/v2/Groups/LUCCA_COUNTRY-ES" },
  ];
  for (const call of calls) {
    const requestId = `route-${crypto.randomUUID()}`;
    expect((await t.request().get(call.path).set(bearer(token)).set("X-Request-Id", requestId)).status, call.path).toBe(call.status);
    await new Promise((resolve) => setImmediate(resolve));
    const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.requestId === requestId && l.message === "request");
    expect(logged.map((l) => [l.route, l.status]), call.path).toEqual([[call.route, call.status]]);
    await t.integrationLog.flush();
    const rows = await t.db("integration_log").where({ request_id: requestId });
    expect(rows.map((r) => r.path), call.path).toEqual([call.stored]);
  }
});
