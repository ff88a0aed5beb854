// The files one test run leaves for test/final/no-secrets-in-logs.test.ts, in the run's directory
// (global-setup.ts creates it fresh and provides its path): each test process's log lines at debug
// level, the secrets the test helpers issued, and the output of the server processes tests spawn.
// Outside vitest (npm run fuzz) there is no run directory: logs are silent and nothing is recorded.
import fs from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { inject } from "vitest";
import winston from "winston";
import { createLogger } from "../../src/logger.js";

/** Where the files of a run live: log lines, the secrets issued, the output of spawned processes. */
export const RUN_FILES = {
  logs: "logs",
  processes: "processes",
  apps: "apps.txt",
  secrets: "secrets.txt",
} as const;

/** The current run's directory, or undefined outside a vitest run. */
export function testRunDir(): string | undefined {
  if (!process.env.VITEST) return undefined;
  const dir = inject("testRunDir");
  return dir ? dir : undefined;
}

let logFile: { fd: number; name: string } | undefined;

/** Appends synchronously, so that a test process ending abruptly loses no line. */
function logStream(dir: string): Writable {
  if (!logFile) {
    fs.mkdirSync(path.join(dir, RUN_FILES.logs), { recursive: true });
    const name = path.join(dir, RUN_FILES.logs, `${process.pid}.jsonl`);
    logFile = { fd: fs.openSync(name, "a"), name };
  }
  const { fd } = logFile;
  return new Writable({
    write(chunk, _encoding, done) {
      fs.writeSync(fd, chunk);
      done();
    },
  });
}

/**
 * The default logger of buildTestApp: JSON lines at debug level in this process's file of the run
 * (each app built is listed in apps.txt with that file), plus the console at TEST_LOG_LEVEL when set.
 */
export function testRunLogger(): winston.Logger {
  const dir = testRunDir();
  const consoleLevel = process.env.TEST_LOG_LEVEL;
  if (!dir) return createLogger(consoleLevel ?? "silent");
  const logger = createLogger("debug", { stream: logStream(dir) });
  if (consoleLevel && consoleLevel !== "silent") logger.add(new winston.transports.Console({ level: consoleLevel }));
  fs.appendFileSync(path.join(dir, RUN_FILES.apps), `${path.basename(logFile!.name)}\n`);
  return logger;
}

/** Notes a secret a test issued (a token), which no log line may ever carry. */
export function recordSecret(secret: string): void {
  const dir = testRunDir();
  if (dir) fs.appendFileSync(path.join(dir, RUN_FILES.secrets), `${secret}\n`);
}

/** Keeps the output of a process a test spawned (a server), to be searched like the logs. */
export function recordProcessOutput(name: string, output: { stdout: string; stderr: string }): void {
  const dir = testRunDir();
  if (!dir) return;
  const folder = path.join(dir, RUN_FILES.processes);
  fs.mkdirSync(folder, { recursive: true });
  const base = path.join(folder, `${name}-${process.pid}-${Date.now()}`);
  fs.writeFileSync(`${base}.stdout`, output.stdout);
  fs.writeFileSync(`${base}.stderr`, output.stderr);
}
