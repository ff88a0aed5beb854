// The fuzz client: the app behind src/http/server.ts on a local port, and requests through
// supertest with a deadline, read as text whatever their content type.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";
import supertest from "supertest";
import { createServer } from "../../src/http/server.js";
import type { TestApp } from "../support/build-test-app.js";
import type { PrototypeGuard } from "./prototype-guard.js";

export interface Outcome {
  status: number;
  headers: Record<string, string>;
  text: string;
  ms: number;
  error?: string;
}

/**
 * The app behind src/http/server.ts on a local port. Each response, as it ends, puts back what a
 * request changed on the built-in prototypes: the client reading it runs in this process too.
 */
export async function listen(t: TestApp, guard: PrototypeGuard): Promise<{ server: Server; base: string }> {
  const guarded = (req: IncomingMessage, res: ServerResponse) => {
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => { guard.restore(); return end(...args); }) as typeof res.end;
    res.on("close", () => guard.restore());
    t.app(req, res);
  };
  const server = createServer(guarded as unknown as Express);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** One request; a transport error or the deadline passing gives an Outcome with `error`. */
export async function send(base: string, method: string, url: string, headers: [string, string][], body: string | undefined, deadlineMs: number): Promise<Outcome> {
  const started = performance.now();
  const agent = supertest(base) as unknown as Record<string, (url: string) => supertest.Test>;
  const make = agent[method.toLowerCase()];
  if (!make) return { status: 0, headers: {}, text: "", ms: 0, error: `method ${method} not supported by the client` };
  let req = make.call(agent, url).timeout({ deadline: deadlineMs }).buffer(true)
    .parse((res, done) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => { text += chunk; });
      res.on("end", () => done(null, text));
      res.on("error", (e: Error) => done(e, text));
    });
  for (const [k, v] of headers) req = req.set(k, v);
  if (body !== undefined) req = req.send(body);
  try {
    const res = await req;
    return { status: res.status, headers: res.headers as Record<string, string>, text: typeof res.body === "string" ? res.body : "", ms: performance.now() - started };
  } catch (e) {
    const err = e as { timeout?: number; code?: string; message?: string; response?: { status: number } };
    return { status: 0, headers: {}, text: "", ms: performance.now() - started, error: err.timeout ? `timed out (deadline ${deadlineMs} ms)` : `${err.code ?? ""} ${err.message ?? String(e)}` };
  }
}
