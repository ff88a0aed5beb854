// Builds dist/ from src/ (tsc -p tsconfig.build.json) from a clean directory, so that a deleted or
// renamed source, a migration above all, leaves nothing behind; then stamps it. `--if-stale` builds
// only when a source is newer than the stamp (scripts/start.mjs uses the same check). Plain
// JavaScript: it runs where TypeScript is only a dev dependency.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const STAMP = path.join("dist", ".build-stamp");
/** What the build reads, besides src/. */
const CONFIG_FILES = ["tsconfig.json", "tsconfig.build.json"];
/** Files that are not TypeScript and are copied as they are. */
const CONSOLE_ASSETS = path.join("src", "http", "console");

/** Newest modification time under a directory, directories included (a deletion touches its directory). */
function newestMtime(dir) {
  let newest = fs.statSync(dir).mtimeMs;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** True when dist/ is missing, was not built whole, or is older than a source or the build configuration. */
export function distIsStale(root = ROOT) {
  const src = path.join(root, "src");
  const stamp = path.join(root, STAMP);
  if (!fs.existsSync(src)) return !fs.existsSync(path.join(root, "dist", "main.js")); // an image: dist/ only
  if (!fs.existsSync(stamp)) return true;
  const built = fs.statSync(stamp).mtimeMs;
  const inputs = [newestMtime(src), ...CONFIG_FILES.map((f) => path.join(root, f)).filter((f) => fs.existsSync(f)).map((f) => fs.statSync(f).mtimeMs)];
  return inputs.some((mtime) => mtime > built);
}

/** Cleans dist/, compiles, stamps. Resolves on success, rejects when tsc fails or is not installed. */
export async function buildDist(root = ROOT) {
  let tsc;
  try {
    tsc = createRequire(path.join(root, "package.json")).resolve("typescript/bin/tsc");
  } catch {
    throw new Error("dist/ must be built, and TypeScript is not installed: run `npm ci` (with dev dependencies), or ship a built dist/.");
  }
  const started = new Date();
  fs.rmSync(path.join(root, "dist"), { recursive: true, force: true });
  const child = spawn(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
  // A stop asked for during the build stops the build too.
  const forward = (signal) => child.kill(signal);
  process.on("SIGTERM", forward);
  process.on("SIGINT", forward);
  const [code, signal] = await new Promise((resolve) => child.on("exit", (c, s) => resolve([c, s])));
  process.off("SIGTERM", forward);
  process.off("SIGINT", forward);
  if (signal) process.exit(signal === "SIGINT" ? 130 : 143);
  if (code !== 0) throw new Error("The TypeScript build failed (see above); dist/ is not usable.");
  // The admin console's static files are served from beside the compiled router.
  fs.cpSync(path.join(root, CONSOLE_ASSETS), path.join(root, "dist", path.relative("src", CONSOLE_ASSETS)), { recursive: true });
  // Stamped with the build's start: a source saved while tsc ran makes the next start build again.
  fs.writeFileSync(path.join(root, STAMP), `${started.toISOString()}\n`);
  fs.utimesSync(path.join(root, STAMP), started, started);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ifStale = process.argv.includes("--if-stale");
  try {
    if (!ifStale || distIsStale()) await buildDist();
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
