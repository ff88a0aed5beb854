// What every CLI command runs with: the database, the clock, the operator and the two output streams.
import type { Knex } from "knex";
import type { SmtpConfig } from "../notifications/email.js";

export interface CliContext {
  db: Knex;
  now: () => Date;
  /** Recorded as created_by / changed_by: `cli:<OS user>`. */
  actor: string;
  /** Migrations that this run applied (the CLI migrates before every command). */
  appliedMigrations: string[];
  /** A line on stdout (kept clean for --json). */
  out(line: string): void;
  /** A line on stderr. */
  err(line: string): void;
  /**
   * The deployment's secret key (HR_SCIM_SECRET_KEY, or the PGlite data directory's key file),
   * for commands that seal or open stored secrets; a CliError when it cannot be had.
   */
  secretKey(): Buffer;
  /** SMTP server for notifications, from the environment. */
  smtp?: SmtpConfig;
  /** LOG_LEVEL for commands that log (to stderr); "error" by default. */
  logLevel: string;
}

/** A validated command, ready to run once the database is open. */
export type Runner = (ctx: CliContext) => Promise<void>;

export function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return new Date(value as string | Date).toISOString();
}

/** Left-aligned columns for human output. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), ...rows.map(line)];
}
