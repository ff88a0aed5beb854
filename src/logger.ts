// The one logger: JSON lines on stdout. Callers log ids, statuses and timings, never tokens,
// Authorization headers or HR personal data.
import winston from "winston";

export function createLogger(level: string): winston.Logger {
  return winston.createLogger({
    level: level === "silent" ? "error" : level,
    silent: level === "silent",
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Console()],
  });
}
