// Regression: an error arriving once a streamed response had begun (a group's members being
// written) was still rendered into it: render-error set the error's headers on the response, which
// throws once headers are sent, and the server's clientError handler wrote a 400 into the middle of
// the response in flight. Both now leave a response under way alone: render-error writes nothing
// (the cut stream ends the connection), and the clientError handler destroys the socket, as Node's
// own handler does.
import { describe, expect, it, vi } from "vitest";
import type { Express } from "express";
import { renderError } from "../../src/http/middleware/render-error.js";
import { createServer } from "../../src/http/server.js";
import { createLogger } from "../../src/logger.js";
import { ScimError } from "../../src/scim/errors.js";

describe("render-error", () => {
  it("writes nothing into a response whose headers are sent, even for an error that carries headers", () => {
    const res = { headersSent: true, locals: {}, setHeader: vi.fn(() => { throw new Error("headers already sent"); }), status: vi.fn(), send: vi.fn(), end: vi.fn() };
    const error = new ScimError(429, "Too many requests", undefined, { "Retry-After": "1" });
    const render = renderError(createLogger("silent"));
    expect(() => render(error, { method: "GET", path: "/Groups" } as never, res as never, () => {})).not.toThrow();
    expect(res.setHeader).not.toHaveBeenCalled();
    expect(res.status).not.toHaveBeenCalled();
    expect(res.send).not.toHaveBeenCalled();
  });
});

describe("the server's clientError handler", () => {
  const parseError = () => Object.assign(new Error("Parse Error"), { code: "HPE_INVALID_METHOD" });
  const socket = (inFlight: boolean) => ({ writable: true, _httpMessage: inFlight ? { headersSent: true } : undefined, end: vi.fn(), destroy: vi.fn() });

  it("destroys the connection of a response in flight instead of writing into it", () => {
    const server = createServer((() => {}) as unknown as Express);
    const busy = socket(true);
    server.emit("clientError", parseError(), busy);
    expect(busy.end).not.toHaveBeenCalled();
    expect(busy.destroy).toHaveBeenCalled();
  });

  it("still answers a request it cannot parse with a SCIM 400 when no response is under way", () => {
    const server = createServer((() => {}) as unknown as Express);
    const idle = socket(false);
    server.emit("clientError", parseError(), idle);
    expect(idle.end).toHaveBeenCalledWith(expect.stringMatching(/^HTTP\/1\.1 400 [\s\S]*urn:ietf:params:scim:api:messages:2\.0:Error/));
  });
});
