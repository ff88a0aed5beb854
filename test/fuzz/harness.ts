// A fuzz run's set-up: the app on a test database (or the one given), its error-level log lines
// captured per case while the usual test-run log files still get every line, and the world.
import { Writable } from "node:stream";
import winston from "winston";
import type { Database } from "../../src/db/database.js";
import { createLogger } from "../../src/logger.js";
import { buildTestApp } from "../support/build-test-app.js";
import { testRunDir, testRunLogger } from "../support/test-run.js";
import type { ErrorLog, FuzzHarness } from "./runner.js";
import { createWorld } from "./world.js";

class CapturedErrors implements ErrorLog {
  private lines: string[] = [];
  readonly stream = new Writable({
    write: (chunk, _encoding, done) => {
      this.lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });

  take(): string[] {
    const lines = this.lines;
    this.lines = [];
    return lines;
  }
}

export async function createHarness(options: { database?: Database; deadlineMs: number }): Promise<FuzzHarness & { close(): Promise<void> }> {
  const errors = new CapturedErrors();
  let logger: winston.Logger;
  if (testRunDir()) {
    logger = testRunLogger();
    logger.add(new winston.transports.Stream({ stream: errors.stream, level: "error" }));
  } else {
    logger = createLogger("error", { stream: errors.stream });
  }
  const t = await buildTestApp({ logger, database: options.database });
  const world = await createWorld(t);
  return { t, world, errors, deadlineMs: options.deadlineMs, close: () => t.close() };
}
