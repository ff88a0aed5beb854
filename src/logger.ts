// The one logger: JSON lines on stdout. Callers log ids, statuses and timings, never tokens,
// Authorization headers or HR personal data.
import type { Writable } from "node:stream";
import winston from "winston";

/** `stream` replaces stdout (tests capture the lines there). */
export function createLogger(level: string, options: { stream?: Writable } = {}): winston.Logger {
  return winston.createLogger({
    level: level === "silent" ? "error" : level,
    silent: level === "silent",
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    transports: [options.stream ? new winston.transports.Stream({ stream: options.stream }) : new winston.transports.Console()],
  });
}
