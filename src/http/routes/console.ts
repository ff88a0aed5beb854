// The admin console at /admin (issue 13): one static page and its script and style, no build step.
// The page calls /admin/v1 with the session cookie; a strict Content-Security-Policy allows only
// these files (no inline script), and no other site may frame it.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Router, type Response } from "express";

const ASSETS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "console");
const FILES: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/console.js": { file: "console.js", type: "text/javascript; charset=utf-8" },
  "/console.css": { file: "console.css", type: "text/css; charset=utf-8" },
};

export const CONSOLE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export function consoleRouter(): Router {
  const router = Router({ strict: true });
  const cache = new Map<string, Buffer>();
  const send = (res: Response, name: string) => {
    const asset = FILES[name];
    let body = cache.get(asset.file);
    if (!body) { body = fs.readFileSync(path.join(ASSETS, asset.file)); cache.set(asset.file, body); }
    res.setHeader("Content-Security-Policy", CONSOLE_CSP);
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "no-referrer");
    res.type(asset.type).send(body);
  };
  router.get("/", (req, res) => {
    if (!req.originalUrl.split("?")[0].endsWith("/")) { res.redirect(301, "/admin/"); return; }
    send(res, "/");
  });
  router.get("/console.js", (_req, res) => send(res, "/console.js"));
  router.get("/console.css", (_req, res) => send(res, "/console.css"));
  return router;
}
