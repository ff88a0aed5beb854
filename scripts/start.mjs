// `npm start`: builds dist/ when a source is newer than it (scripts/build.mjs), then runs the server
// (dist/main.js) in this very process, so that the SIGTERM a process manager sends to the process it
// started reaches the server's handler. package.json runs it as `exec node scripts/start.mjs`:
// Debian's /bin/sh (dash) does not exec the last command of `sh -c`, and npm forwards signals only
// to the shell, which would die and leave the server running.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, buildDist, distIsStale } from "./build.mjs";

try {
  if (distIsStale()) {
    console.error("Building dist/ (sources changed since the last build)...");
    await buildDist();
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
process.setSourceMapsEnabled(true); // stack frames name the TypeScript sources
await import(pathToFileURL(path.join(ROOT, "dist", "main.js")).href);
