// The benchmark's servers as child processes, so that each one's CPU and memory are its own: read
// from /proc (Linux) for the process and all its descendants (the workers of HR_SCIM_WORKERS).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export interface ServerProcess {
  name: string;
  child: ChildProcess;
  port: number;
  /** CPU time (user + system, ms) of the process and its descendants so far. */
  cpuMs(): number;
  /** What it printed so far (its last MiB). */
  output(): string;
  /** Resident memory (bytes) of the process and its descendants now. */
  rss(): number;
  /** Stops it with SIGTERM and waits for it to exit. */
  stop(): Promise<void>;
}

function descendants(pid: number): number[] {
  const all = [pid];
  try {
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      for (const child of children ? children.split(/\s+/) : []) all.push(...descendants(Number(child)));
    }
  } catch { /* exited, or no /proc */ }
  return all;
}

function cpuTicks(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  } catch { return 0; }
}

function statusKb(pid: number, field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch { return 0; }
}

/** The node arguments that run a TypeScript entry point: dist's compiled file when asked, else tsx. */
export function nodeArgs(entry: { ts: string; dist?: string }, useDist: boolean): string[] {
  if (useDist && entry.dist) return [path.join(ROOT, entry.dist)];
  return ["--import", "tsx", path.join(ROOT, entry.ts)];
}

/** Starts a server and waits until `readyPath` answers 200 (at most 60 s). */
export async function startServer(name: string, args: string[], env: NodeJS.ProcessEnv, port: number, readyPath: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => { output = (output + chunk.toString()).slice(-(2 ** 20)); };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let gone = false;
  void exited.then(() => { gone = true; });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (gone) throw new Error(`${name} exited before it was ready:\n${output.slice(-4000)}`);
    if (Date.now() > deadline) { child.kill("SIGKILL"); throw new Error(`${name} was not ready within 60 s:\n${output.slice(-4000)}`); }
    try {
      const res = await fetch(`http://127.0.0.1:${port}${readyPath}`);
      if (res.status === 200) break;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  const pid = child.pid!;
  return {
    name, child, port,
    output: () => output,
    cpuMs: () => descendants(pid).reduce((sum, p) => sum + cpuTicks(p), 0) * (1000 / TICKS_PER_SECOND),
    rss: () => descendants(pid).reduce((sum, p) => sum + statusKb(p, "VmRSS"), 0) * 1024,
    async stop() {
      if (!gone) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Samples a server's RSS every 20 ms until stopped; returns the peak. */
export function sampleRss(server: ServerProcess): { stop(): number } {
  let peak = server.rss();
  const timer = setInterval(() => { peak = Math.max(peak, server.rss()); }, 20);
  return { stop() { clearInterval(timer); return Math.max(peak, server.rss()); } };
}

/** A free TCP port from the operating system. */
export async function freePort(): Promise<number> {
  const net = await import("node:net");
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    }).on("error", reject);
  });
}
